/**
 * Waiting for an absolute deadline that staff may move, with reminders before it. The deadline
 * is re-read on every wake-up, so an extension re-arms the timer (the caller bumps `version`).
 */
import { DAY_MS, waitFor } from './messages';

export interface Reminders {
  offsetsDays: number[];
  /** The deadline reminded of (may differ from the one waited for: approvals during consolidation). */
  deadline: () => string;
  /** Keys `<offset>@<deadline>` already handled; kept by the caller (carried over continue-as-new). */
  handled: Set<string>;
  send: (offsetDays: number, deadline: string) => Promise<void>;
}

export interface DeadlineWait {
  deadline: () => string;
  /** Changes when deadlines change: the wait re-arms its timer. */
  version: () => number;
  /** Ends the wait early (phase closed early, cancellation, continue-as-new, all decided, ...). */
  interrupt: () => boolean;
  reminders?: Reminders;
}

/**
 * Resolves 'deadline' when workflow time reaches the deadline, 'interrupted' when `interrupt()`
 * holds first. A reminder whose time had already passed when its deadline was first seen here
 * is skipped (no "14 days left" mail two days before the deadline).
 */
export async function waitUntilDeadline(w: DeadlineWait): Promise<'deadline' | 'interrupted'> {
  let seenReminder: string | undefined;
  let reminderArmedAt = 0;
  for (;;) {
    if (w.interrupt()) return 'interrupted';
    const deadline = w.deadline();
    const now = Date.now();
    const deadlineMs = Date.parse(deadline);
    if (now >= deadlineMs) return 'deadline';
    let wakeAt = deadlineMs;
    if (w.reminders) {
      const r = w.reminders;
      const remindOf = r.deadline();
      if (remindOf !== seenReminder) {
        seenReminder = remindOf;
        reminderArmedAt = now;
      }
      const remindMs = Date.parse(remindOf);
      for (const offset of [...r.offsetsDays].sort((a, b) => b - a)) {
        const key = `${offset}@${remindOf}`;
        const at = remindMs - offset * DAY_MS;
        if (r.handled.has(key) || offset <= 0 || now >= remindMs) continue;
        if (at < reminderArmedAt) {
          r.handled.add(key);
          continue;
        }
        if (at <= now) {
          r.handled.add(key);
          await r.send(offset, remindOf);
          continue;
        }
        wakeAt = Math.min(wakeAt, at);
      }
    }
    const version = w.version();
    await waitFor(() => w.interrupt() || w.version() !== version, wakeAt - Date.now());
  }
}
