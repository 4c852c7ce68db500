/**
 * The link path with the real group workflow and the real activities (storage and mail): the
 * workflow sends its invitations through the outbox into Mailpit, the member and the moderator
 * use their links, the workflow's validators and activities record the decisions in MongoDB.
 */
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../activities';
import { createMailTransport } from '../../activities/mail';
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { groupWorkflowId } from '../../domain/ids';
import { approvalRequestedSignal, cyclePhaseSignal, groupStatusQuery, submitRecommendationsUpdate, type GroupInput } from '../../workflows/group/contract';
import { connectTestDatabase, type TestDatabase } from '../support/mongo';
import { MailpitClient } from '../support/mailpit';
import { bundleWorkflows, connectDevServer, uniqueTaskQueue, type DevServer } from '../support/temporal';
import { get, heading, post, SECRET, startLinkApp, type LinkApp } from './helpers';
import { memoryLogger, seedWorld } from './seed';

jest.setTimeout(90_000);

// Own database handling: the worker must stop before the database is dropped.
let db: TestDatabase;
let models: Models;
let dev: DevServer;
let app: LinkApp;
let transport: Transporter;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('links-group');
const mailpit = new MailpitClient();
const handles: WorkflowHandle[] = [];

beforeAll(async () => {
  db = await connectTestDatabase();
  models = createModels(db.connection);
  await syncIndexes(models);
  dev = await connectDevServer();
  app = await startLinkApp({ models, temporalClient: dev.client });
  transport = createMailTransport({ SMTP_URL: process.env.SMTP_URL!, SMTP_POOL_SIZE: 2 });
  worker = await Worker.create({
    connection: dev.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflows(path.join(__dirname, '..', '..', 'workflows', 'index.ts')),
    activities: createActivities({
      models,
      temporalClient: dev.client,
      mail: {
        transport,
        config: { MAIL_FROM: 'Smart in Progress <participation@smart.coop>', PUBLIC_BASE_URL: app.url, LINK_SECRET: SECRET, SMTP_POOL_SIZE: 2 },
        logger: memoryLogger(),
      },
    }),
  });
  running = worker.run();
}, 90_000);

afterAll(async () => {
  for (const h of handles) await h.terminate('test over').catch(() => undefined);
  worker?.shutdown();
  await running;
  transport?.close();
  await app?.close();
  await dev?.close();
  await db?.drop();
});

const linkIn = (text: string) => {
  const found = new RegExp(`${app.url.replace(/[.]/g, '\\.')}/l/[A-Za-z0-9_-]+`).exec(text)?.[0];
  if (!found) throw new Error('no link in the mail');
  return found;
};

const day = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * day).toISOString();
const deadlines = () => ({
  formationOpensAt: at(-1), formationDeadline: at(14), submissionDeadline: at(90), approvalDeadline: at(120),
  publicReviewOpensAt: at(130), publicReviewClosesAt: at(160),
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('when the group workflow invites, then the member confirms and the moderator accepts through their links, once each', async () => {
  const w = await seedWorld(models, { members: 2, languages: ['fr', 'en', 'nl'], phase: 'group_formation' });
  const [confirmed, invited] = w.members; // the seed confirmed the first member and the moderator
  await models.Group.updateOne({ _id: w.groupId }, { $set: { status: 'forming', approval: { status: 'not_requested' } } });
  const input: GroupInput = {
    cycleId: w.cycleId, groupId: w.groupId, kind: 'office', phase: 'group_formation', seq: 1, silencePolicy: 'tacit_approval', deadlines: deadlines(),
  };
  const handle = await dev.client.workflow.start('groupWorkflow', { taskQueue, workflowId: groupWorkflowId(w.cycleId, w.groupId), args: [input] });
  handles.push(handle);

  // Invitations go only to the unconfirmed member; the moderator is asked to accept the role.
  const [invitation] = await mailpit.waitForRecipient(invited.email, 2, { timeoutMs: 20_000 }).then((mails) =>
    mails.filter((m) => m.Subject.includes('bevestig')),
  );
  expect(invitation).toBeDefined();
  const toConfirmed = await until('the framing brief to the confirmed member', async () => {
    const mails = await mailpit.byRecipient(confirmed.email);
    return mails.length > 0 ? mails : undefined;
  });
  expect(toConfirmed.some((m) => m.Subject.includes('confirm that you join'))).toBe(false);
  const inviteUrl = linkIn(invitation.Text);
  const page = await get(inviteUrl);
  expect(heading(page.body)).toBe('Bevestig je deelname');
  expect(page.body).toContain(`Gendergelijkheid (Brussels ${w.suffix})`);

  const before = await handle.query(groupStatusQuery);
  const answers = await Promise.all([post(inviteUrl, {}), post(inviteUrl, {}), post(inviteUrl, {})]);
  for (const a of answers) expect([200, 202]).toContain(a.status);
  expect(answers.filter((a) => heading(a.body) === 'Bedankt')).toHaveLength(1);
  const after = await handle.query(groupStatusQuery);
  expect(after.members).toBe(before.members + 1);
  const membership = await models.Membership.findOne({ _id: `${w.groupId}:${invited._id}` }).lean();
  expect(membership?.confirmedAt).toBeInstanceOf(Date);
  const audit = await models.Audit.findOne({ action: 'group.membership_confirmed', subject: w.groupId }).lean();
  expect(audit?.actor).toEqual({ kind: 'member', id: invited._id });
  expect(audit?._id).toMatch(/:update:link:[0-9a-f]{40}$/);

  const moderatorMails = await until('the moderator invitation', async () => {
    const mails = await mailpit.byRecipient(w.moderator.email);
    return mails.length > 0 ? mails : undefined;
  });
  const moderatorMail = await mailpit.message(moderatorMails.find((m) => m.Subject.includes('moderator') || m.Subject.includes('modérer') || m.Subject.includes('modereren'))!.ID);
  const accepted = await post(linkIn(moderatorMail.Text), { action: 'accept_moderator' });
  expect(accepted.status).toBe(200);
  expect((await handle.query(groupStatusQuery)).moderatorAccepted).toBe(true);
  expect((await models.Group.findOne({ _id: w.groupId }).lean())?.moderatorAcceptedAt).toBeInstanceOf(Date);

  // The member's link cannot act as the moderator, and a used link stays used.
  expect((await post(inviteUrl, { action: 'accept_moderator' })).status).toBe(404);
  expect(heading((await post(inviteUrl, {})).body)).toBe('Al geregistreerd');
});

test('when the moderator asks for a change, then a newer wording is asked for, the old link is refused and the new one approves', async () => {
  const w = await seedWorld(models, { members: 1, languages: ['en'], phase: 'deliberation' });
  await models.Group.updateOne({ _id: w.groupId }, { $set: { status: 'active', moderatorAcceptedAt: new Date(), approval: { status: 'not_requested' } } });
  const d = deadlines();
  const handle = await dev.client.workflow.start('groupWorkflow', {
    taskQueue, workflowId: groupWorkflowId(w.cycleId, w.groupId),
    args: [{ cycleId: w.cycleId, groupId: w.groupId, kind: 'office', phase: 'deliberation', seq: 1, silencePolicy: 'tacit_approval', deadlines: d } satisfies GroupInput],
  });
  handles.push(handle);
  // The workflow refuses decisions until it has loaded the group ("starting"): retry like a client would.
  await until('the submission', () =>
    handle.executeUpdate(submitRecommendationsUpdate, { args: [{ items: [{ title: 'Shared spaces', text: 'Open the offices to members on Fridays.', context: 'Fits the third-places project.' }], actorId: 'staff-key' }] }).then(() => true, () => undefined),
  );
  await handle.signal(cyclePhaseSignal, { seq: 2, phase: 'consolidation', deadlines: d });
  await handle.signal(approvalRequestedSignal, { version: 2 });
  const first = await until('the approval request', async () => {
    const mails = await mailpit.byRecipient(w.moderator.email);
    return mails.find((m) => m.Subject.startsWith('Smart in Progress: approve'));
  });
  const v2 = linkIn((await mailpit.message(first.ID)).Text);
  const page = await get(v2);
  expect(heading(page.body)).toBe('Approve the consolidated wording');
  expect(page.body).toContain(`1. Recommendation 1 ${w.suffix}`);

  const change = await post(v2, { action: 'request_change', comment: 'Item 1 lost our context on Fridays.' });
  expect([change.status, heading(change.body)]).toEqual([200, 'Thank you']);
  expect((await handle.query(groupStatusQuery)).approval).toEqual({ status: 'change_requested', version: 2 });
  expect((await models.Group.findOne({ _id: w.groupId }).lean())?.approval).toMatchObject({ status: 'change_requested', version: 2, comment: 'Item 1 lost our context on Fridays.' });

  // Staff rework the wording and ask again: version 3, a new mail, a new link.
  await handle.signal(approvalRequestedSignal, { version: 3 });
  const second = await until('the second approval request', async () => {
    const mails = await mailpit.byRecipient(w.moderator.email);
    const requests = mails.filter((m) => m.Subject.startsWith('Smart in Progress: approve'));
    return requests.length === 2 ? requests[0] : undefined;
  });
  const v3 = linkIn((await mailpit.message(second.ID)).Text);
  expect(v3).not.toBe(v2);
  // The old mail's link, used again later (after the journal's window it would be the neutral answer).
  const stale = await post(v3.replace(/\/l\/.*/, `/l/${v2.split('/l/')[1]}`), { action: 'approve_consolidation' });
  expect([stale.status, heading(stale.body)]).toEqual([200, 'Already recorded']);
  const approved = await post(v3, { action: 'approve_consolidation' });
  expect([approved.status, heading(approved.body)]).toEqual([200, 'Thank you']);
  expect((await handle.query(groupStatusQuery)).approval).toEqual({ status: 'approved', version: 3 });
  expect((await models.Audit.countDocuments({ action: 'group.approval_approved', subject: w.groupId }))).toBe(1);
});

test('when a moderator has a fresh link for an old wording, then the workflow refuses it as replaced (409) and nothing changes', async () => {
  const w = await seedWorld(models, { members: 1, languages: ['en'], phase: 'deliberation' });
  await models.Group.updateOne({ _id: w.groupId }, { $set: { status: 'active', moderatorAcceptedAt: new Date(), approval: { status: 'not_requested' } } });
  const d = deadlines();
  const handle = await dev.client.workflow.start('groupWorkflow', {
    taskQueue, workflowId: groupWorkflowId(w.cycleId, w.groupId),
    args: [{ cycleId: w.cycleId, groupId: w.groupId, kind: 'office', phase: 'deliberation', seq: 1, silencePolicy: 'tacit_approval', deadlines: d } satisfies GroupInput],
  });
  handles.push(handle);
  // The workflow refuses decisions until it has loaded the group ("starting"): retry like a client would.
  await until('the submission', () =>
    handle.executeUpdate(submitRecommendationsUpdate, { args: [{ items: [{ title: 'T', text: 'Text.', context: 'Context.' }], actorId: 'staff-key' }] }).then(() => true, () => undefined),
  );
  await handle.signal(cyclePhaseSignal, { seq: 2, phase: 'consolidation', deadlines: d });
  await handle.signal(approvalRequestedSignal, { version: 4 });
  await until('version 4 asked', async () => ((await handle.query(groupStatusQuery)).approval.version === 4 ? true : undefined));
  const { token } = await import('./helpers');
  const old = token({ actions: ['approve_consolidation', 'request_change'], workflowId: groupWorkflowId(w.cycleId, w.groupId), subjectId: w.groupId, memberId: w.moderator._id, version: '3' });
  const refused = await post(`${app.url}/l/${old}`, { action: 'approve_consolidation' });
  expect([refused.status, heading(refused.body)]).toEqual([409, 'Already decided']);
  expect(refused.body).toContain('a newer mail replaced this one');
  expect((await handle.query(groupStatusQuery)).approval).toEqual({ status: 'pending', version: 4 });
});
