/**
 * The mail activities: `sendMail` (one recipient) and `sendBulkMail` (an audience, batched, with
 * heartbeats). Built by createMailActivities(deps); worker/main.ts passes the models, the pooled
 * transport (createMailTransport), the configuration and a logger.
 *
 * Every mail passes the outbox (outbox.ts: the delivery guarantee), is rendered at send time in
 * the recipient's language from MongoDB (view.ts, render.ts, message.ts), carries its link
 * (deterministic per outbox entry) and, for notifications, List-Unsubscribe with RFC 8058 one-click.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { SendMailOptions } from 'nodemailer';
import type { Model } from 'mongoose';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { Models, OutboxDoc, OutboxResultDoc } from '../../domain/models';
import { audiencePages, isAudienceCursor, type AudienceMember } from './audience';
import type {
  MailTemplate, Recipient, SendBulkMailInput, SendBulkMailResult, SendMailInput, SendMailResult,
} from './contract';
import {
  claimEntry, messageIdFor, outboxIdFor, recipientKey, recordOutcome, releaseClaim, resolveTaken,
} from './outbox';
import { headerText } from './render';
import { buildMessage, NOTIFICATION_TEMPLATES, type MessageTarget, type Sender } from './message';
import { classifySmtpError, type MailTransport } from './transport';
import { createSendSlots, type SendSlots } from './send-slots';
import type { DeliveryLookup } from './delivery-lookup';
import { buildView, Lookups, type MailView } from './view';

export { createMailTransport } from './transport';
export type { MailTransport } from './transport';
export { deliveryLookupFromConfig, mailpitDeliveryLookup, type DeliveryLookup } from './delivery-lookup';

/** Where role mail goes. Board secretaries without an address of their own get the staff mailbox. */
export interface RoleMailboxes {
  staff: string;
  boardSecretary?: Record<string, string>;
}

export interface MailDeps {
  models: Models;
  transport: MailTransport;
  config: Pick<Config, 'MAIL_FROM' | 'PUBLIC_BASE_URL' | 'LINK_SECRET' | 'SMTP_POOL_SIZE'>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Default: staff = the address of MAIL_FROM. */
  roleMailboxes?: RoleMailboxes;
  now?: () => Date;
  /** SMTP 4xx inside one activity attempt: tries and first delay (default 3 tries, 500 ms, doubling). */
  smtpRetry?: { attempts: number; baseDelayMs: number };
  /** Asks the relay whether a message whose attempt died mid-transaction arrived (exactly once). */
  deliveryLookup?: DeliveryLookup;
  /** Fan-out: members per page (heartbeat after each) and parallel sends (default 100 and 2 x pool). */
  bulk?: { pageSize?: number; concurrency?: number };
  /** Mails composed and sent at once by all mail activities of the process (default: 2 x pool). */
  sendSlots?: SendSlots;
}

export interface MailActivities {
  sendMail(input: SendMailInput): Promise<SendMailResult>;
  sendBulkMail(input: SendBulkMailInput): Promise<SendBulkMailResult>;
}

/** Progress of a fan-out, carried in heartbeat details so a retried attempt resumes. */
export interface BulkProgress {
  /** Id of the last member of the last page fully handled. */
  cursor: string | null;
  counts: SendBulkMailResult;
}

interface Target extends MessageTarget {
  key: string;
  country?: string;
  skip?: 'erased' | 'unsubscribed' | 'no_address';
}

type EntryOutcome =
  | { kind: 'sent' }
  | { kind: 'already_sent' }
  | { kind: 'skipped' }
  | { kind: 'failed'; error: string }
  | { kind: 'transient'; error: string };

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createMailActivities(deps: MailDeps): MailActivities {
  const now = () => (deps.now ? deps.now() : new Date());
  const fromAddress = /<([^>]+)>\s*$/.exec(deps.config.MAIL_FROM)?.[1] ?? deps.config.MAIL_FROM;
  const fromName = headerText(deps.config.MAIL_FROM.replace(/<[^>]*>\s*$/, '').replace(/"/g, ''));
  const mailboxes: RoleMailboxes = deps.roleMailboxes ?? { staff: fromAddress };
  const sender: Sender = { config: deps.config, from: { name: fromName, address: fromAddress } };
  const retry = deps.smtpRetry ?? { attempts: 3, baseDelayMs: 500 };
  const sendSlots = deps.sendSlots ?? createSendSlots(Math.max(1, deps.config.SMTP_POOL_SIZE * 2));

  function memberTarget(m: AudienceMember, template: MailTemplate): Target {
    const target: Target = { key: `member:${m._id}`, memberId: m._id, address: m.email, name: m.name, language: m.language, country: m.country };
    if (m.erasedAt) target.skip = 'erased';
    else if (!m.email) target.skip = 'no_address';
    else if (m.unsubscribedAt && NOTIFICATION_TEMPLATES.has(template)) target.skip = 'unsubscribed';
    return target;
  }

  async function roleOrMemberTarget(recipient: Recipient, template: MailTemplate): Promise<Target | undefined> {
    if ('memberId' in recipient) {
      const m = await deps.models.Member.findOne(
        { _id: recipient.memberId },
        { _id: 1, name: 1, email: 1, language: 1, country: 1, erasedAt: 1, unsubscribedAt: 1 },
      ).lean<AudienceMember>();
      return m ? memberTarget(m, template) : undefined;
    }
    const address = recipient.role === 'board_secretary' && recipient.country
      ? mailboxes.boardSecretary?.[recipient.country] ?? mailboxes.staff
      : mailboxes.staff;
    const language = recipient.language ?? (recipient.country === 'FR' ? 'fr' : 'en');
    return { key: recipientKey(recipient), address, language, country: recipient.country };
  }

  function entryFor(input: SendMailInput | SendBulkMailInput, target: Target, at: Date): OutboxDoc {
    const _id = outboxIdFor({ workflowId: input.workflowId, purpose: input.purpose, recipientKey: target.key, version: input.version });
    return {
      _id,
      workflowId: input.workflowId,
      purpose: input.purpose,
      ...(target.memberId ? { recipientMemberId: target.memberId } : { recipientRole: target.key.slice('role:'.length) }),
      version: input.version,
      template: input.template,
      data: input.data,
      state: target.skip ? 'skipped' : 'pending',
      ...(target.skip ? { skipReason: target.skip } : {}),
      messageId: messageIdFor(_id, deps.config.MAIL_FROM),
      createdAt: at,
    };
  }

  /** The entry as stored: an earlier attempt's creation time keeps the link identical. */
  async function storedEntry(entry: OutboxDoc): Promise<OutboxDoc> {
    return (await deps.models.Outbox.findOne({ _id: entry._id }).lean<OutboxDoc>()) ?? entry;
  }

  /**
   * Sends one claimed-or-claimable entry: the outbox state machine of outbox.ts. The fan-out
   * claims a page at once (`preclaimed`) and records `sent` outcomes in batches (`recordSent`).
   */
  async function deliverEntry(
    entry: OutboxDoc,
    message: SendMailOptions,
    attempt: number,
    batch: { preclaimed?: boolean; recordSent?: (doc: OutboxResultDoc) => Promise<void> } = {},
  ): Promise<EntryOutcome> {
    let reclaimed = false;
    let preclaimed = batch.preclaimed ?? false;
    for (let i = 0; i < retry.attempts; i++) {
      const claimed = preclaimed ? 'claimed' : await claimEntry(deps.models, entry, attempt, now());
      preclaimed = false;
      if (claimed === 'taken') {
        const relay = deps.deliveryLookup && { lookup: deps.deliveryLookup, messageId: entry.messageId };
        const taken = await resolveTaken(deps.models, entry, now(), relay);
        if (taken.state === 'released' && !reclaimed) {
          // A dead attempt's claim given back: claiming it now is not one of our SMTP tries.
          reclaimed = true;
          i -= 1;
          continue;
        }
        if (taken.state === 'sent') return { kind: 'already_sent' };
        if (taken.state === 'failed') return { kind: 'failed', error: taken.error };
        return { kind: 'transient', error: 'an earlier attempt may still be sending this mail' };
      }
      try {
        const info = await deps.transport.sendMail(message);
        const sent: OutboxResultDoc = {
          _id: entry._id, workflowId: entry.workflowId, purpose: entry.purpose, outcome: 'sent', at: now(),
          response: String(info?.response ?? '').slice(0, 300),
        };
        await (batch.recordSent ? batch.recordSent(sent) : recordOutcome(deps.models, sent));
        return { kind: 'sent' };
      } catch (err) {
        const failure = classifySmtpError(err);
        if (failure.kind === 'permanent') {
          await recordOutcome(deps.models, {
            _id: entry._id, workflowId: entry.workflowId, purpose: entry.purpose, outcome: 'failed', at: now(),
            response: failure.response, responseCode: failure.responseCode,
          });
          deps.logger.warn({ outbox: entry._id.slice(0, 12), purpose: entry.purpose, code: failure.responseCode }, 'mail refused by the SMTP server');
          return { kind: 'failed', error: failure.response };
        }
        await releaseClaim(deps.models, entry._id);
        if (i === retry.attempts - 1) return { kind: 'transient', error: failure.response };
        await sleep(retry.baseDelayMs * 2 ** i);
      }
    }
    return { kind: 'transient', error: 'no attempt left' };
  }

  async function sendMail(input: SendMailInput): Promise<SendMailResult> {
    const lookups = new Lookups(deps.models);
    const target = await roleOrMemberTarget(input.recipient, input.template);
    if (!target) {
      // An unknown member id: nothing to send, said plainly (not retried).
      const _id = outboxIdFor({ workflowId: input.workflowId, purpose: input.purpose, recipientKey: recipientKey(input.recipient), version: input.version });
      return { outboxId: _id, state: 'skipped', error: 'unknown_member' };
    }
    let entry = entryFor(input, target, now());
    const existed = await insertOne(entry);
    if (existed) entry = await storedEntry(entry);
    if (target.skip) return { outboxId: entry._id, state: 'skipped', error: target.skip };
    const view = await buildView(lookups, { ...input, language: target.language, country: target.country });
    const outcome = await sendSlots(() => deliverEntry(entry, buildMessage(sender, input, entry, target, view), activityContext()?.info.attempt ?? 1));
    switch (outcome.kind) {
      case 'sent':
        return { outboxId: entry._id, state: 'sent' };
      case 'already_sent':
        return { outboxId: entry._id, state: 'already_sent' };
      case 'failed':
        return { outboxId: entry._id, state: 'failed', error: outcome.error };
      case 'skipped':
        return { outboxId: entry._id, state: 'skipped' };
      case 'transient':
        throw ApplicationFailure.retryable(`SMTP not available: ${outcome.error}`, 'SmtpTransient');
    }
  }

  /** True when the entry existed already (an earlier attempt). */
  async function insertOne(entry: OutboxDoc): Promise<boolean> {
    try {
      await deps.models.Outbox.create(entry);
      return false;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return true;
      throw err;
    }
  }

  async function sendBulkMail(input: SendBulkMailInput): Promise<SendBulkMailResult> {
    const ctx = activityContext();
    const resumed = ctx?.info.heartbeatDetails as BulkProgress | undefined;
    const counts: SendBulkMailResult = resumed?.counts
      ? { ...resumed.counts }
      : { recipients: 0, sent: 0, alreadySent: 0, skipped: 0, failed: 0 };
    const pageSize = deps.bulk?.pageSize ?? 100;
    const concurrency = deps.bulk?.concurrency ?? Math.max(1, deps.config.SMTP_POOL_SIZE * 2);
    const lookups = new Lookups(deps.models);
    const views = new Map<string, Promise<MailView>>();
    const viewFor = (target: Target) => {
      const key = `${target.language}:${target.country ?? ''}`;
      let view = views.get(key);
      if (!view) {
        view = buildView(lookups, { ...input, language: target.language, country: target.country });
        views.set(key, view);
      }
      return view;
    };
    let cursor = resumed?.cursor ?? null;
    if (cursor !== null && !isAudienceCursor(input.audience, cursor)) {
      // A cursor of another format (an attempt of an older release): start over; the outbox
      // finds what that attempt sent, counted as already sent.
      cursor = null;
      Object.assign(counts, { recipients: 0, sent: 0, alreadySent: 0, skipped: 0, failed: 0 });
    }
    const attempt = ctx?.info.attempt ?? 1;
    // Outcomes already known for this mailing, in one pushed-down equality query: a retried or
    // repeated fan-out then costs no lookup per member.
    const known = new Map(
      (await deps.models.OutboxResult.find({ workflowId: input.workflowId, purpose: input.purpose }, { outcome: 1, response: 1 }).lean())
        .map((r) => [r._id, r] as const),
    );

    for await (const { members: page, cursor: pageCursor } of audiencePages(deps.models, input.audience, pageSize, cursor)) {
      if (ctx?.cancellationSignal.aborted) throw new CancelledFailure('sendBulkMail cancelled');
      const at = now();
      const targets = page.map((m) => memberTarget(m, input.template));
      const entries = targets.map((t) => entryFor(input, t, at));
      const existing = await insertAllowingDuplicates(deps.models.Outbox, entries);
      // One claim insert for the page (not one per mail: each round trip costs FerretDB and
      // PostgreSQL CPU that Mailpit needs); an entry claimed before goes the one-by-one way.
      const unclaimed = entries.filter((e, i) => !targets[i].skip && !known.has(e._id));
      const taken = await insertAllowingDuplicates(
        deps.models.OutboxClaim,
        unclaimed.map((e) => ({ _id: e._id, workflowId: e.workflowId, purpose: e.purpose, claimedAt: at, attempt })),
      );
      const preclaimed = new Set(unclaimed.map((e) => e._id).filter((id) => !taken.has(id)));
      // `sent` outcomes written a few at a time: a crash in between leaves claims without an
      // outcome, which the delivery lookup (or the at-most-once rule) settles like any other.
      let sentBuffer: OutboxResultDoc[] = [];
      const flushSent = async () => {
        const docs = sentBuffer;
        sentBuffer = [];
        if (docs.length > 0) await recordSentBatch(docs);
      };
      const recordSent = async (doc: OutboxResultDoc) => {
        sentBuffer.push(doc);
        if (sentBuffer.length >= concurrency) await flushSent();
      };
      const page_ = { sent: 0, alreadySent: 0, skipped: 0, failed: 0 };
      let transient: string | undefined;
      let consecutiveTransient = 0;
      let next = 0;
      const worker = async () => {
        while (next < entries.length && consecutiveTransient < 5) {
          const i = next++;
          tried.add(entries[i]._id);
          const target = targets[i];
          if (target.skip) {
            page_.skipped++;
            continue;
          }
          const result = known.get(entries[i]._id);
          let outcome: EntryOutcome;
          if (result) {
            outcome = result.outcome === 'sent'
              ? { kind: 'already_sent' }
              : { kind: 'failed', error: result.outcome === 'unknown' ? 'outcome_unknown' : (result.response ?? 'rejected') };
          } else {
            // An entry of an earlier attempt keeps its creation time, hence its link.
            const entry = existing.has(entries[i]._id) ? await storedEntry(entries[i]) : entries[i];
            const view = await viewFor(target);
            // Composed inside the slot: a page waiting for SMTP holds member data, not messages.
            outcome = await sendSlots(() => deliverEntry(entry, buildMessage(sender, input, entry, target, view), attempt, {
              preclaimed: preclaimed.has(entry._id),
              recordSent,
            }));
          }
          if (outcome.kind === 'transient') {
            transient = outcome.error;
            consecutiveTransient++;
            continue;
          }
          consecutiveTransient = 0;
          if (outcome.kind === 'sent') page_.sent++;
          else if (outcome.kind === 'already_sent') page_.alreadySent++;
          else if (outcome.kind === 'failed') page_.failed++;
          else page_.skipped++;
        }
      };
      const tried = new Set<string>();
      try {
        await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
      } finally {
        await flushSent();
        // A page cut short (SMTP unavailable) gives back the claims it never used: they are not
        // lost attempts, and the retry must not wait out their lease.
        for (const id of preclaimed) if (!tried.has(id)) await releaseClaim(deps.models, id);
      }
      if (transient !== undefined) {
        // The page is not done: keep the cursor before it; sent entries are found again as sent.
        ctx?.heartbeat({ cursor, counts } satisfies BulkProgress);
        throw ApplicationFailure.retryable(`SMTP not available: ${transient}`, 'SmtpTransient');
      }
      counts.recipients += page.length;
      counts.sent += page_.sent;
      counts.alreadySent += page_.alreadySent;
      counts.skipped += page_.skipped;
      counts.failed += page_.failed;
      cursor = pageCursor;
      ctx?.heartbeat({ cursor, counts } satisfies BulkProgress);
    }
    if (counts.failed > 0) {
      deps.logger.warn({ workflowId: input.workflowId, purpose: input.purpose, failed: counts.failed }, 'bulk mail: some mails failed');
    }
    return counts;
  }

  /**
   * Inserts documents keyed by _id; returns the ids that existed already. The driver's insert,
   * not mongoose's: the documents are built complete here, and mongoose would hydrate and
   * validate each of them (and build an error object per expected duplicate) on the hot path.
   */
  async function insertAllowingDuplicates<T extends { _id: string }>(model: Model<T>, docs: T[]): Promise<Set<string>> {
    if (docs.length === 0) return new Set();
    try {
      await model.collection.insertMany(docs as unknown as Parameters<typeof model.collection.insertMany>[0], { ordered: false });
      return new Set();
    } catch (err) {
      type WriteError = { index?: number; code?: number; err?: { index?: number; code?: number } };
      const writeErrors = (err as { writeErrors?: WriteError[] }).writeErrors;
      if (!writeErrors) throw err;
      const dup = new Set<string>();
      for (const e of writeErrors) {
        const index = e.index ?? e.err?.index;
        if ((e.code ?? e.err?.code) !== 11000 || index === undefined) throw err;
        dup.add(docs[index]._id);
      }
      return dup;
    }
  }

  /** `sent` outcomes in one insert; one already there (an `unknown` a retry wrote) is corrected. */
  async function recordSentBatch(docs: OutboxResultDoc[]): Promise<void> {
    const existing = await insertAllowingDuplicates(deps.models.OutboxResult, docs);
    for (const doc of docs.filter((d) => existing.has(d._id))) await recordOutcome(deps.models, doc);
  }

  return { sendMail, sendBulkMail };
}

// Re-exported for reports.
export { outboxStates } from './outbox';
