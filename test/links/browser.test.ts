/**
 * End to end in a real browser: the mail is sent through SMTP, read back from Mailpit's API, its
 * link opened in headless Chromium (Debian's, driven by playwright-core), the confirmation page
 * checked, the button clicked, and the workflow's state checked afterwards.
 */
import { randomUUID } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import type { Transporter } from 'nodemailer';
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { createMailActivities, createMailTransport } from '../../activities/mail';
import { useTestDatabase } from '../support/mongo';
import { MailpitClient } from '../support/mailpit';
import { connectDevServer, type DevServer } from '../support/temporal';
import { fixtureStateQuery } from '../fixtures/workflows/link-targets';
import { SECRET, startFixtureWorker, startLinkApp, type FixtureWorker, type LinkApp } from './helpers';
import { memoryLogger, seedWorld } from './seed';

jest.setTimeout(60_000);

const db = useTestDatabase();
let models: Models;
let dev: DevServer;
let worker: FixtureWorker;
let app: LinkApp;
let browser: Browser;
let transport: Transporter;
const mailpit = new MailpitClient();

beforeAll(async () => {
  models = createModels(db().connection);
  await syncIndexes(models);
  dev = await connectDevServer();
  worker = await startFixtureWorker(dev);
  app = await startLinkApp({ models, temporalClient: dev.client });
  transport = createMailTransport({ SMTP_URL: process.env.SMTP_URL!, SMTP_POOL_SIZE: 1 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  transport?.close();
  await app?.close();
  await worker?.stop();
  await dev?.close();
});

function mailActivities() {
  return createMailActivities({
    models,
    transport,
    // Links point at this test's api: PUBLIC_BASE_URL is the only source of the link's origin.
    config: { MAIL_FROM: 'Smart in Progress <participation@smart.coop>', PUBLIC_BASE_URL: app.url, LINK_SECRET: SECRET, SMTP_POOL_SIZE: 1 },
    logger: memoryLogger(),
  });
}

const linkIn = (text: string) => {
  const found = new RegExp(`${app.url.replace(/[.]/g, '\\.')}/l/[A-Za-z0-9_-]+`).exec(text)?.[0];
  if (!found) throw new Error('no link in the mail');
  return found;
};

test('when a moderator opens the approval mail in a browser and clicks approve, then the workflow records the approval once', async () => {
  const w = await seedWorld(models, { members: 1, languages: ['fr'] });
  const workflowId = `cycle:${w.cycleId}:group:${w.groupId}`;
  const handle = await dev.client.workflow.start('linkGroupFixture', {
    taskQueue: worker.taskQueue,
    workflowId,
    args: [{ groupId: w.groupId, moderatorMemberId: w.moderator._id, memberIds: [w.moderator._id], phase: 'consolidation', approvalVersion: 2 }],
  });
  await mailActivities().sendMail({
    workflowId, purpose: 'approval_request', version: '2', template: 'approval_request', recipient: { memberId: w.moderator._id }, data: {},
    link: { actions: ['approve_consolidation', 'request_change'], workflowId, subjectId: w.groupId, version: '2', expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });
  const [mail] = await mailpit.waitForRecipient(w.moderator.email, 1);
  expect(mail.Subject).toBe(`Smart in Progress : approuvez la formulation consolidée de Égalité de genre (Brussels ${w.suffix})`);
  const link = linkIn(mail.Text);
  expect(mail.HTML).toContain(`href="${link}"`);

  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const response = await page.goto(link);
  expect(response?.status()).toBe(200);
  expect(await page.locator('h1').textContent()).toBe('Approuver la formulation consolidée');
  expect(await page.locator('.who').textContent()).toBe(`Vous agissez en tant que ${w.moderator.name}.`);
  expect(await page.locator('ul.plain li strong').allTextContents()).toEqual([`1. Recommendation 1 ${w.suffix}`, `2. Recommendation 2 ${w.suffix}`]);
  expect(await page.locator('form').count()).toBe(2);
  // Nothing happened by opening the page, and it loaded nothing from anywhere else.
  expect((await handle.query(fixtureStateQuery)).approval.status).toBe('pending');
  expect(requests.every((u) => u.startsWith(app.url))).toBe(true);

  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Approuver cette formulation' }).click()]);
  expect(await page.locator('h1').textContent()).toBe('Merci');
  expect(await page.locator('p').last().textContent()).toBe('Enregistré : vous avez approuvé la formulation.');
  const state = await handle.query(fixtureStateQuery);
  expect(state.approval).toMatchObject({ status: 'approved', version: 2, by: w.moderator._id });
  expect(state.handled).toEqual({ approveConsolidation: 1 });

  // A second tab on the same link: already recorded, no second button.
  const tab = await context.newPage();
  await tab.goto(link);
  expect(await tab.locator('h1').textContent()).toBe('Déjà enregistré');
  expect(await tab.locator('button').count()).toBe(0);
  expect(consoleErrors).toEqual([]); // no CSP violation, no script error
  await context.close();
});

test('when a member opens the Dutch invitation and confirms, then the group workflow counts them', async () => {
  const w = await seedWorld(models, { members: 1, languages: ['nl'] });
  const member = w.members[0];
  const workflowId = `cycle:${w.cycleId}:group:${w.groupId}`;
  const handle = await dev.client.workflow.start('linkGroupFixture', {
    taskQueue: worker.taskQueue, workflowId: `${workflowId}`,
    args: [{ groupId: w.groupId, moderatorMemberId: w.moderator._id, memberIds: [member._id], phase: 'group_formation' }],
  });
  await mailActivities().sendMail({
    workflowId, purpose: `group_invitation:${randomUUID()}`, version: '1', template: 'group_invitation', recipient: { memberId: member._id }, data: {},
    link: { actions: ['confirm_membership'], workflowId, subjectId: w.groupId, version: '1', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  const [mail] = await mailpit.waitForRecipient(member.email, 1);
  const page = await browser.newPage();
  await page.goto(linkIn(mail.Text));
  expect(await page.locator('h1').textContent()).toBe('Bevestig je deelname');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ik bevestig mijn deelname' }).click()]);
  expect(await page.locator('h1').textContent()).toBe('Bedankt');
  expect((await handle.query(fixtureStateQuery)).confirmed).toEqual([member._id]);
  await page.close();
});
