/** Counting what Mailpit received, per recipient (the check that every member has exactly one mail). */
import type { MailpitClient } from '../../test/support/mailpit';

export async function mailTotal(mailpit: MailpitClient): Promise<number> {
  return (await mailpit.list({ limit: 1 })).total;
}

/** Pages through every message (newest first) and counts them by To address. */
export async function countByRecipient(mailpit: MailpitClient, pageSize = 5_000): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const total = await mailTotal(mailpit);
  for (let start = 0; start < total; start += pageSize) {
    const page = await mailpit.list({ start, limit: pageSize });
    for (const m of page.messages) {
      for (const to of m.To ?? []) {
        const address = to.Address.toLowerCase();
        counts.set(address, (counts.get(address) ?? 0) + 1);
      }
    }
    if (page.messages.length === 0) break;
  }
  return counts;
}

export interface ExactlyOnce {
  expected: number;
  exactlyOne: number;
  missing: number;
  doubled: number;
  /** A few addresses of each kind, for the report. */
  missingSample: string[];
  doubledSample: string[];
  unexpected: number;
}

/** Compares the per-recipient counts with the addresses that should each have exactly one mail. */
export function exactlyOnce(counts: Map<string, number>, expected: string[]): ExactlyOnce {
  const wanted = new Set(expected.map((a) => a.toLowerCase()));
  const out: ExactlyOnce = { expected: wanted.size, exactlyOne: 0, missing: 0, doubled: 0, missingSample: [], doubledSample: [], unexpected: 0 };
  for (const address of wanted) {
    const n = counts.get(address) ?? 0;
    if (n === 1) out.exactlyOne++;
    else if (n === 0) {
      out.missing++;
      if (out.missingSample.length < 5) out.missingSample.push(address);
    } else {
      out.doubled++;
      if (out.doubledSample.length < 5) out.doubledSample.push(`${address} x${n}`);
    }
  }
  for (const address of counts.keys()) if (!wanted.has(address)) out.unexpected++;
  return out;
}
