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
import { groupStatusQuery, type GroupInput } from '../../workflows/group/contract';
import { useTestDatabase } from '../support/mongo';
import { MailpitClient } from '../support/mailpit';
import { bundleWorkflows, connectDevServer, uniqueTaskQueue, type DevServer } from '../support/temporal';
import { get, heading, post, SECRET, startLinkApp, type LinkApp } from './helpers';
import { memoryLogger, seedWorld } from './seed';

jest.setTimeout(90_000);

const db = useTestDatabase();
let models: Models;
let dev: DevServer;
let app: LinkApp;
let transport: Transporter;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('links-group');
const mailpit = new MailpitClient();
let handle: WorkflowHandle | undefined;

beforeAll(async () => {
  models = createModels(db().connection);
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
  await handle?.terminate('test over').catch(() => undefined);
  worker?.shutdown();
  await running;
  transport?.close();
  await app?.close();
  await dev?.close();
});

const linkIn = (text: string) => {
  const found = new RegExp(`${app.url.replace(/[.]/g, '\\.')}/l/[A-Za-z0-9_-]+`).exec(text)?.[0];
  if (!found) throw new Error('no link in the mail');
  return found;
};

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
  const day = 86_400_000;
  const at = (days: number) => new Date(Date.now() + days * day).toISOString();
  const input: GroupInput = {
    cycleId: w.cycleId, groupId: w.groupId, kind: 'office', phase: 'group_formation', seq: 1, silencePolicy: 'tacit_approval',
    deadlines: {
      formationOpensAt: at(-1), formationDeadline: at(14), submissionDeadline: at(90), approvalDeadline: at(120),
      publicReviewOpensAt: at(130), publicReviewClosesAt: at(160),
    },
  };
  handle = await dev.client.workflow.start('groupWorkflow', { taskQueue, workflowId: groupWorkflowId(w.cycleId, w.groupId), args: [input] });

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
