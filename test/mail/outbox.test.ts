/**
 * The outbox on real servers: FerretDB and a private Mailpit (chaos is global to a Mailpit).
 * Idempotency, SMTP 4xx retried, 5xx failed and counted, bulk fan-out resumed after a crash
 * mid-batch, and the Message-ID and link kept across attempts.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { createMailActivities, createMailTransport, mailpitDeliveryLookup, type BulkProgress, type MailDeps, type MailTransport } from '../../activities/mail';
import type { SendBulkMailInput, SendMailInput } from '../../activities/mail/contract';
import { CLAIM_LEASE_MS, outboxIdFor, outboxStates } from '../../activities/mail/outbox';
import { createSendSlots } from '../../activities/mail/send-slots';
import { issueLinkUrl } from '../../activities/links/issue';
import type { OutboxDoc } from '../../domain/models';
import { useTestDatabase } from '../support/mongo';
import { startPrivateMailpit, type PrivateMailpit } from '../support/mailpit';
import { memoryLogger, rand, seedWorld } from '../links/seed';

const db = useTestDatabase();
let models: Models;
let mailpit: PrivateMailpit;
let transport: Transporter;
const secret = 'x'.repeat(40);

beforeAll(async () => {
  models = createModels(db().connection);
  await syncIndexes(models);
  mailpit = await startPrivateMailpit();
  transport = createMailTransport({ SMTP_URL: mailpit.smtpUrl, SMTP_POOL_SIZE: 3 });
}, 60_000);

afterAll(async () => {
  transport?.close();
  await mailpit?.stop();
});

afterEach(async () => {
  await mailpit.client.disableChaos();
});

function deps(over: Partial<MailDeps> = {}): MailDeps {
  return {
    models,
    transport,
    config: { MAIL_FROM: 'Smart in Progress <participation@smart.coop>', PUBLIC_BASE_URL: 'https://participation.smart.coop', LINK_SECRET: secret, SMTP_POOL_SIZE: 3 },
    logger: memoryLogger(),
    smtpRetry: { attempts: 1, baseDelayMs: 50 },
    ...over,
  };
}

const quiet = new DefaultLogger('ERROR');

const count = async (address: string) => (await mailpit.client.byRecipient(address)).length;

function invitation(workflowId: string, memberId: string, groupId: string, purpose = 'group_invitation'): SendMailInput {
  return {
    workflowId, purpose, version: '1', template: 'group_invitation', recipient: { memberId }, data: { groupId },
    link: { actions: ['confirm_membership'], workflowId, subjectId: groupId, version: '1', expiresAt: '2030-01-01T00:00:00.000Z' },
  };
}

describe('outbox idempotency', () => {
  test('when the same request is sent twice, then Mailpit holds one mail and the second call says already_sent', async () => {
    const w = await seedWorld(models, { members: 1 });
    const m = w.members[0];
    const input = invitation(`cycle:${w.cycleId}:group:${w.groupId}`, m._id, w.groupId);
    const { sendMail } = createMailActivities(deps());
    const first = await sendMail(input);
    const second = await sendMail(input);
    expect(first.state).toBe('sent');
    expect(second).toEqual({ outboxId: first.outboxId, state: 'already_sent' });
    await mailpit.client.waitFor(`to:"${m.email}"`, 1);
    expect(await count(m.email)).toBe(1);
  });

  test('when the same mail is asked for in parallel, then exactly one attempt sends it', async () => {
    const w = await seedWorld(models, { members: 1 });
    const m = w.members[0];
    const input = invitation(`cycle:${w.cycleId}:group:${w.groupId}`, m._id, w.groupId);
    const { sendMail } = createMailActivities(deps());
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => sendMail(input)));
    const states = results.map((r) => (r.status === 'fulfilled' ? r.value.state : 'in_progress'));
    expect(states.filter((s) => s === 'sent')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(m.email)).toBe(1);
  });
});

describe('SMTP failures', () => {
  test('when Mailpit answers 421 and then accepts, then the retry sends exactly one mail', async () => {
    const w = await seedWorld(models, { members: 1 });
    const m = w.members[0];
    const input = invitation(`cycle:${w.cycleId}:group:${w.groupId}`, m._id, w.groupId);
    const { sendMail } = createMailActivities(deps());
    await mailpit.client.setChaos({ Sender: { ErrorCode: 421, Probability: 100 } });
    const failure = await sendMail(input).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('SmtpTransient');
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    expect(await count(m.email)).toBe(0);
    await mailpit.client.disableChaos();
    expect((await sendMail(input)).state).toBe('sent');
    await mailpit.client.waitFor(`to:"${m.email}"`, 1);
    expect(await count(m.email)).toBe(1);
  });

  test('when 421 clears during the in-activity backoff, then the same attempt sends exactly one mail', async () => {
    const w = await seedWorld(models, { members: 1 });
    const m = w.members[0];
    const { sendMail } = createMailActivities(deps({ smtpRetry: { attempts: 5, baseDelayMs: 250 } }));
    await mailpit.client.setChaos({ Sender: { ErrorCode: 421, Probability: 100 } });
    const pending = sendMail(invitation(`cycle:${w.cycleId}:group:${w.groupId}`, m._id, w.groupId));
    await new Promise((r) => setTimeout(r, 400));
    await mailpit.client.disableChaos();
    expect((await pending).state).toBe('sent');
    await mailpit.client.waitFor(`to:"${m.email}"`, 1);
    expect(await count(m.email)).toBe(1);
  });

  test('when Mailpit refuses with 550, then the entry fails for good, is counted, and is not resent later', async () => {
    const w = await seedWorld(models, { members: 3 });
    const workflowId = `cycle:${w.cycleId}:group:${w.groupId}`;
    const input: SendBulkMailInput = {
      workflowId, purpose: 'framing_brief', version: '1', template: 'framing_brief', data: { groupId: w.groupId },
      audience: { kind: 'group_members', groupId: w.groupId },
    };
    const { sendBulkMail, sendMail } = createMailActivities(deps());
    await mailpit.client.setChaos({ Recipient: { ErrorCode: 550, Probability: 100 } });
    const result = await sendBulkMail(input);
    expect(result).toEqual({ recipients: 4, sent: 0, alreadySent: 0, skipped: 0, failed: 4 });
    const states = await outboxStates(models, workflowId, 'framing_brief');
    expect([...states.values()].map((s) => s.state)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect([...states.values()][0].result?.responseCode).toBe(550);
    await mailpit.client.disableChaos();
    expect(await sendBulkMail(input)).toEqual({ recipients: 4, sent: 0, alreadySent: 0, skipped: 0, failed: 4 });
    const single = await sendMail({ ...input, recipient: { memberId: w.moderator._id } } as SendMailInput);
    expect(single.state).toBe('failed');
    expect(await count(w.moderator.email)).toBe(0);
  });
});

describe('bulk fan-out', () => {
  test('when an attempt crashes mid-batch, then the retry resumes from the heartbeat and each recipient gets exactly one mail', async () => {
    const w = await seedWorld(models, { members: 24 });
    const workflowId = `cycle:${w.cycleId}:group:${w.groupId}`;
    const input: SendBulkMailInput = {
      workflowId, purpose: 'framing_brief', version: '1', template: 'framing_brief', data: { groupId: w.groupId },
      audience: { kind: 'group_members', groupId: w.groupId },
    };
    // The attempt dies before its 14th SMTP transaction: mails 1-13 are out, no later one is.
    let sends = 0;
    const crashing: MailTransport = {
      async sendMail(message) {
        if (++sends >= 14) throw Object.assign(new Error('worker lost its connection'), { code: 'ECONNECTION' });
        return transport.sendMail(message);
      },
    };
    const heartbeats: BulkProgress[] = [];
    const env1 = new MockActivityEnvironment({ attempt: 1 }, { logger: quiet });
    env1.on('heartbeat', (d: BulkProgress) => heartbeats.push(d));
    const first = createMailActivities(deps({ transport: crashing, bulk: { pageSize: 10, concurrency: 1 } }));
    await expect(env1.run(first.sendBulkMail, input)).rejects.toMatchObject({ type: 'SmtpTransient' });
    // Counts cover the pages done (recipients included): the retry adds the rest.
    expect(heartbeats.at(-1)).toEqual({ cursor: expect.any(String), counts: { recipients: 10, sent: 10, alreadySent: 0, skipped: 0, failed: 0 } });

    const env2 = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: heartbeats.at(-1) }, { logger: quiet });
    const second = createMailActivities(deps({ bulk: { pageSize: 10, concurrency: 3 } }));
    const result = await env2.run(second.sendBulkMail, input);
    // The crashed attempt's three mails of page 2 are found sent; the cursor skipped page 1.
    expect(result).toEqual({ recipients: 25, sent: 22, alreadySent: 3, skipped: 0, failed: 0 });
    for (const m of [w.moderator, ...w.members]) {
      await mailpit.client.waitFor(`to:"${m.email}"`, 1);
      expect(await count(m.email)).toBe(1);
    }
    // A third run (say, the workflow retried the activity) sends nothing.
    const third = await new MockActivityEnvironment({ attempt: 1 }, { logger: quiet }).run(second.sendBulkMail, input);
    expect(third).toEqual({ recipients: 25, sent: 0, alreadySent: 25, skipped: 0, failed: 0 });
  });

  test('when two mailings run at once, then the process never composes or sends more mails than its send slots, and each member gets one', async () => {
    const [a, b] = [await seedWorld(models, { members: 11 }), await seedWorld(models, { members: 11 })];
    let inFlight = 0;
    let most = 0;
    const counting: MailTransport = {
      async sendMail(message) {
        most = Math.max(most, ++inFlight);
        try {
          return await transport.sendMail(message);
        } finally {
          inFlight--;
        }
      },
    };
    // Each mailing would run four sends; the process allows two.
    const { sendBulkMail } = createMailActivities(deps({ transport: counting, sendSlots: createSendSlots(2), bulk: { pageSize: 5, concurrency: 4 } }));
    const mailing = (w: typeof a): SendBulkMailInput => ({
      workflowId: `cycle:${w.cycleId}:group:${w.groupId}`, purpose: 'framing_brief', version: '1', template: 'framing_brief', data: { groupId: w.groupId },
      audience: { kind: 'group_members', groupId: w.groupId },
    });
    const results = await Promise.all([sendBulkMail(mailing(a)), sendBulkMail(mailing(b))]);
    expect(results).toEqual([
      { recipients: 12, sent: 12, alreadySent: 0, skipped: 0, failed: 0 },
      { recipients: 12, sent: 12, alreadySent: 0, skipped: 0, failed: 0 },
    ]);
    expect(most).toBe(2);
    for (const m of [a.moderator, ...a.members, b.moderator, ...b.members]) expect(await count(m.email)).toBe(1);
  });

  test('when members are erased or unsubscribed, then notifications skip them and group mail skips only the erased', async () => {
    const w = await seedWorld(models, { members: 3, phase: 'public_review' });
    await models.Member.updateOne({ _id: w.members[0]._id }, { $set: { erasedAt: new Date(), name: '', email: '', emailKey: `erased:${w.members[0]._id}` } });
    await models.Member.updateOne({ _id: w.members[1]._id }, { $set: { unsubscribedAt: new Date() } });
    const { sendBulkMail } = createMailActivities(deps());
    const notification = await sendBulkMail({
      workflowId: `cycle:${w.cycleId}`, purpose: 'public_review_invitation', version: '2', template: 'public_review_invitation', data: {},
      audience: { kind: 'group_members', groupId: w.groupId },
    });
    expect(notification).toEqual({ recipients: 4, sent: 2, alreadySent: 0, skipped: 2, failed: 0 });
    const groupMail = await sendBulkMail({
      workflowId: `cycle:${w.cycleId}:group:${w.groupId}`, purpose: 'framing_brief', version: '1', template: 'framing_brief', data: {},
      audience: { kind: 'group_members', groupId: w.groupId },
    });
    expect(groupMail).toEqual({ recipients: 4, sent: 3, alreadySent: 0, skipped: 1, failed: 0 });
    expect(await count(w.members[1].email)).toBe(1); // the framing brief, not the notification
  });

  test('when a reminder asks for the unconfirmed only, then confirmed members get nothing', async () => {
    const w = await seedWorld(models, { members: 3 });
    const { sendBulkMail } = createMailActivities(deps());
    const result = await sendBulkMail({
      workflowId: `cycle:${w.cycleId}:group:${w.groupId}`, purpose: `confirm_reminder:${rand()}`, version: '1', template: 'group_invitation',
      data: {}, audience: { kind: 'group_members', groupId: w.groupId, unconfirmedOnly: true },
    });
    // The seed confirmed the moderator and the first member.
    expect(result.recipients).toBe(2);
    expect(await count(w.members[0].email)).toBe(0);
  });
});

describe('ambiguous SMTP outcome', () => {
  test('when the connection drops after the server accepted, then the resend carries the same Message-ID and the same link', async () => {
    const w = await seedWorld(models, { members: 1 });
    const m = w.members[0];
    const input = invitation(`cycle:${w.cycleId}:group:${w.groupId}`, m._id, w.groupId);
    let first = true;
    const dropping: MailTransport = {
      async sendMail(message) {
        const info = await transport.sendMail(message);
        if (first) {
          first = false;
          throw Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' });
        }
        return info;
      },
    };
    const { sendMail } = createMailActivities(deps({ transport: dropping, smtpRetry: { attempts: 2, baseDelayMs: 10 } }));
    expect((await sendMail(input)).state).toBe('sent');
    const mails = await mailpit.client.waitForRecipient(m.email, 2);
    expect(mails).toHaveLength(2);
    expect(mails[0].MessageID).toBe(mails[1].MessageID);
    const link = (text: string) => /https:\/\/participation\.smart\.coop\/l\/[A-Za-z0-9_-]+/.exec(text)?.[0];
    expect(link(mails[0].Text)).toBeDefined();
    expect(link(mails[0].Text)).toBe(link(mails[1].Text));
  });
});

/** A member's invitation sent by a process SIGKILLed right after Mailpit accepted it. */
async function killedAfterAccept() {
  const w = await seedWorld(models, { members: 1 });
  const m = w.members[0];
  const input = invitation(`cycle:${w.cycleId}:group:${w.groupId}`, m._id, w.groupId);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'kill-after-accept.ts'), JSON.stringify(input)], {
    env: { ...process.env, MONGODB_URI: db().uri, SMTP_URL: mailpit.smtpUrl, LINK_SECRET: secret },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  expect(signal).toBe('SIGKILL');
  return { m, input };
}

describe('worker killed after SMTP accepted', () => {
  test('when the worker dies right after the server accepted, then there is at most one mail and its link is the link of the entry', async () => {
    const { m, input } = await killedAfterAccept();
    const [mail] = await mailpit.client.waitForRecipient(m.email, 1);
    const states = await outboxStates(models, input.workflowId, input.purpose);
    expect([...states.values()].map((s) => s.state)).toEqual(['sending']);

    // Temporal retries the activity at once: the claim is fresh, the attempt might be alive.
    const { sendMail } = createMailActivities(deps());
    await expect(sendMail(input)).rejects.toMatchObject({ type: 'SmtpTransient' });
    // After the lease: at most once. Not resent, reported as failed with an unknown outcome.
    const later = createMailActivities(deps({ now: () => new Date(Date.now() + CLAIM_LEASE_MS + 1000) }));
    expect(await later.sendMail(input)).toMatchObject({ state: 'failed', error: 'outcome_unknown' });
    expect(await later.sendMail(input)).toMatchObject({ state: 'failed', error: 'outcome_unknown' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await count(m.email)).toBe(1);

    // The mail that went out carries exactly the link of its outbox entry.
    const entry = (await models.Outbox.findOne({ _id: [...states.keys()][0] }).lean<OutboxDoc>())!;
    const expected = issueLinkUrl({
      secret, publicBaseUrl: 'https://participation.smart.coop', outboxId: entry._id, spec: input.link!,
      memberId: m._id, language: m.language, name: m.name, issuedAt: entry.createdAt,
    });
    expect(mail.Text).toContain(expected);
  });
});

describe('a relay that can say what it accepted (MAIL_DELIVERY_LOOKUP_URL)', () => {
  const afterLease = () => new Date(Date.now() + CLAIM_LEASE_MS + 1000);

  test('when the worker died right after the server accepted, then the lookup finds the mail: sent, not resent', async () => {
    const { m, input } = await killedAfterAccept();
    await mailpit.client.waitForRecipient(m.email, 1);

    const later = createMailActivities(deps({ now: afterLease, deliveryLookup: mailpitDeliveryLookup(mailpit.httpUrl) }));
    expect(await later.sendMail(input)).toMatchObject({ state: 'already_sent' });
    expect(await later.sendMail(input)).toMatchObject({ state: 'already_sent' });
    const states = await outboxStates(models, input.workflowId, input.purpose);
    expect([...states.values()].map((s) => [s.state, s.result?.response])).toEqual([['sent', 'found at the relay after a lost attempt']]);
    await new Promise((r) => setTimeout(r, 200));
    expect(await count(m.email)).toBe(1);
  });

  /** A member's invitation whose claim a dead attempt left behind, without a mail at the relay. */
  async function deadAttemptClaim() {
    const w = await seedWorld(models, { members: 1 });
    const m = w.members[0];
    const input = invitation(`cycle:${w.cycleId}:group:${w.groupId}`, m._id, w.groupId);
    const _id = outboxIdFor({ workflowId: input.workflowId, purpose: input.purpose, recipientKey: `member:${m._id}`, version: input.version });
    await models.OutboxClaim.create({ _id, workflowId: input.workflowId, purpose: input.purpose, claimedAt: new Date(), attempt: 1 });
    return { m, input };
  }

  test('when an attempt died before the server accepted, then the lookup finds nothing and the mail is sent once', async () => {
    const { m, input } = await deadAttemptClaim();
    const lookup = mailpitDeliveryLookup(mailpit.httpUrl);
    await expect(createMailActivities(deps({ deliveryLookup: lookup })).sendMail(input)).rejects.toMatchObject({ type: 'SmtpTransient' });
    const later = createMailActivities(deps({ now: afterLease, deliveryLookup: lookup }));
    expect(await later.sendMail(input)).toMatchObject({ state: 'sent' });
    expect(await later.sendMail(input)).toMatchObject({ state: 'already_sent' });
    const [mail] = await mailpit.client.waitForRecipient(m.email, 1);
    expect(await lookup(`<${mail.MessageID}>`)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await count(m.email)).toBe(1);
  });

  test('when the relay cannot answer, then the entry stays claimed and the activity is retried later', async () => {
    const { m, input } = await deadAttemptClaim();
    const down = createMailActivities(deps({ now: afterLease, deliveryLookup: mailpitDeliveryLookup('http://127.0.0.1:9/') }));
    await expect(down.sendMail(input)).rejects.toMatchObject({ type: 'SmtpTransient' });
    expect([...(await outboxStates(models, input.workflowId, input.purpose)).values()].map((s) => s.state)).toEqual(['sending']);
    expect(await count(m.email)).toBe(0);
  });
});
