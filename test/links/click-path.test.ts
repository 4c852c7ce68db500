/**
 * The click path against real servers (FerretDB, the Temporal dev server, fixture workflows with
 * the group and follow-up contracts): each adversarial case of issue 6 with its exact outcome.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { WorkflowHandle } from '@temporalio/client';
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { groupWorkflowId, projectWorkflowId } from '../../domain/ids';
import { cyclePhaseSignal } from '../../workflows/group/contract';
import { reconcileLinks } from '../../activities/links/reconciler';
import { RECENT_WINDOW_MS } from '../../activities/links/store';
import { REVOCATION_COUNTER_ID, revokeLink, revokeMemberLinks, revokeSubjectLinks } from '../../activities/links/revocations';
import { openLink } from '../../activities/links/token';
import { useTestDatabase } from '../support/mongo';
import { connectDevServer, type DevServer } from '../support/temporal';
import { finishSignal, fixtureStateQuery, type GroupFixtureState, type ProgressFixtureState } from '../fixtures/workflows/link-targets';
import { get, heading, post, raw, SECRET, startFixtureWorker, startLinkApp, token, type Answer, type FixtureWorker, type LinkApp } from './helpers';
import { followUpStatusQuery } from '../../workflows/follow-up/contract';

const db = useTestDatabase();
let models: Models;
let dev: DevServer;
let worker: FixtureWorker;
let app: LinkApp;

beforeAll(async () => {
  models = createModels(db().connection);
  await syncIndexes(models);
  dev = await connectDevServer();
  worker = await startFixtureWorker(dev);
  app = await startLinkApp({ models, temporalClient: dev.client });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await dev?.close();
});

interface Group {
  workflowId: string;
  groupId: string;
  cycleId: string;
  moderator: string;
  members: string[];
  handle: WorkflowHandle;
  state(): Promise<GroupFixtureState>;
}

async function startGroup(phase: 'group_formation' | 'consolidation', approvalVersion?: number): Promise<Group> {
  const s = randomUUID().slice(0, 8);
  const cycleId = `c${s}`;
  const groupId = `g${s}`;
  const workflowId = groupWorkflowId(cycleId, groupId);
  const moderator = `mod${s}`;
  const members = [`m1${s}`, `m2${s}`];
  const handle = await dev.client.workflow.start('linkGroupFixture', {
    taskQueue: worker.taskQueue,
    workflowId,
    args: [{ groupId, moderatorMemberId: moderator, memberIds: [moderator, ...members], phase, approvalVersion }],
  });
  return { workflowId, groupId, cycleId, moderator, members, handle, state: () => handle.query(fixtureStateQuery) };
}

const confirmLink = (g: Group, memberId: string, over = {}) =>
  token({ actions: ['confirm_membership'], workflowId: g.workflowId, subjectId: g.groupId, memberId, ...over });
const approvalLink = (g: Group, version: string, over = {}) =>
  token({ actions: ['approve_consolidation', 'request_change'], workflowId: g.workflowId, subjectId: g.groupId, memberId: g.moderator, version, ...over });

/** The one answer for unknown, used, expired, revoked and tampered links: 404, in nl, fr and en. */
const neutral = (a: Answer) =>
  a.status === 404 && ['Deze link kan niet gebruikt worden', 'Ce lien ne peut pas être utilisé', 'This link cannot be used'].every((h) => a.body.includes(`<h1>${h}</h1>`));

const counts = async () => ({ uses: await models.LinkUse.countDocuments(), recent: await models.LinkRecent.countDocuments() });

describe('GET, HEAD and OPTIONS change nothing', () => {
  const scanners = [
    'Mozilla/5.0 (compatible; Microsoft Office Protection; +https://aka.ms/safelinks)',
    'Proofpoint URL Defense',
    'Barracuda Sentinel (EE)',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'curl/8.5.0',
  ];

  test('when scanners GET, HEAD and OPTIONS a valid link many times, then the page shows and no use, update or write happens', async () => {
    const g = await startGroup('group_formation');
    const url = `${app.url}/l/${confirmLink(g, g.members[0])}`;
    const before = await counts();
    for (const ua of scanners) {
      const page = await get(url, { headers: { 'user-agent': ua } });
      expect(page.status).toBe(200);
      expect(heading(page.body)).toBe('Confirm your participation');
      expect(page.body).toContain('<form method="post">');
      expect(page.body).not.toMatch(/<script|http-equiv="refresh"|onload=/i);
      const head = await get(url, { method: 'HEAD', headers: { 'user-agent': ua } });
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      const options = await get(url, { method: 'OPTIONS', headers: { 'user-agent': ua } });
      expect(options.status).toBe(204);
      expect(options.headers.get('allow')).toBe('GET, HEAD, POST');
    }
    expect(await counts()).toEqual(before);
    expect((await g.state()).handled).toEqual({});
    expect((await g.state()).confirmed).toEqual([]);
  });

  test('when a link page is served, then it carries the strict headers and no third-party resource', async () => {
    const g = await startGroup('group_formation');
    const page = await get(`${app.url}/l/${confirmLink(g, g.members[0])}`);
    const csp = page.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toBe(`default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`);
    expect(page.body).toContain(`<style nonce="${nonce}">`);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    // A second answer gets another nonce.
    const again = await get(`${app.url}/l/${confirmLink(g, g.members[0])}`);
    expect(again.headers.get('content-security-policy')).not.toBe(csp);
  });
});

describe('one transition', () => {
  test('when 20 POSTs of the same link arrive together, then the workflow sees one update and every answer is recorded/already/received', async () => {
    const g = await startGroup('group_formation');
    const url = `${app.url}/l/${confirmLink(g, g.members[0])}`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(url, { action: 'confirm_membership' })));
    const headings = answers.map((a) => `${a.status} ${heading(a.body)}`);
    expect(headings.filter((h) => h === '200 Thank you')).toHaveLength(1);
    for (const h of headings) expect(['200 Thank you', '200 Already recorded', '202 Received']).toContain(h);
    const state = await g.state();
    expect(state.handled).toEqual({ confirmMembership: 1 });
    expect(state.confirmed).toEqual([g.members[0]]);
  });

  test('when the link is used again within the window, then the answer is "already recorded"; after the window the neutral answer; never a change', async () => {
    const g = await startGroup('group_formation');
    const url = `${app.url}/l/${confirmLink(g, g.members[0])}`;
    expect((await post(url, { action: 'confirm_membership' })).status).toBe(200);
    const second = await post(url, { action: 'confirm_membership' });
    expect([second.status, heading(second.body)]).toEqual([200, 'Already recorded']);
    expect(second.body).toContain('your participation is confirmed');
    const tab = await get(url);
    expect([tab.status, heading(tab.body)]).toEqual([200, 'Already recorded']);

    // The window passes: the journal is swept, the permanent lock stays.
    await reconcileLinks({ models, temporalClient: dev.client, config: { LINK_SECRET: SECRET }, logger: app.logger, now: () => new Date(Date.now() + RECENT_WINDOW_MS + 60_000) });
    const replay = await post(url, { action: 'confirm_membership' });
    expect(neutral(replay)).toBe(true);
    expect((await g.state()).handled).toEqual({ confirmMembership: 1 });
  });

  test('when a moderator approves and asks for a change in parallel with one link, then exactly one is recorded and the other says what was', async () => {
    const g = await startGroup('consolidation', 2);
    const url = `${app.url}/l/${approvalLink(g, '2')}`;
    const [approve, change] = await Promise.all([
      post(url, { action: 'approve_consolidation' }),
      post(url, { action: 'request_change', comment: 'Please keep our wording of item 2.' }),
    ]);
    const state = await g.state();
    const recorded = (await models.LinkRecent.find({}).lean()).filter((r) => r.workflowId === g.workflowId);
    expect(recorded).toHaveLength(1);
    // Documented final state: the first use to be inserted wins; the workflow sees exactly that one.
    if (recorded[0].action === 'approve_consolidation') {
      expect(state.approval.status).toBe('approved');
      expect(state.handled).toEqual({ approveConsolidation: 1 });
      expect(heading(approve.body)).toBe('Thank you');
      expect(['Already recorded', 'Received']).toContain(heading(change.body));
    } else {
      expect(state.approval).toMatchObject({ status: 'change_requested', comment: 'Please keep our wording of item 2.' });
      expect(state.handled).toEqual({ requestConsolidationChange: 1 });
      expect(heading(change.body)).toBe('Thank you');
      expect(['Already recorded', 'Received']).toContain(heading(approve.body));
    }
  });

  test('when approve and request-change come from two different mails, then the workflow validator lets the first through and refuses the second with 409', async () => {
    const g = await startGroup('consolidation', 2);
    const [a, b] = await Promise.all([
      post(`${app.url}/l/${approvalLink(g, '2')}`, { action: 'approve_consolidation' }),
      post(`${app.url}/l/${approvalLink(g, '2')}`, { action: 'request_change', comment: 'no' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    expect([heading(a.body), heading(b.body)]).toContain('Already decided');
    const state = await g.state();
    expect(Object.values(state.handled).reduce((x, y) => x + y, 0)).toBe(1);
    expect(['approved', 'change_requested']).toContain(state.approval.status);
  });
});

describe('replays and links used out of their scope', () => {
  test('when the link has expired, then GET and POST give the neutral 404 and nothing changes', async () => {
    const g = await startGroup('group_formation');
    const url = `${app.url}/l/${confirmLink(g, g.members[0], { expiresAt: Date.now() - 1000 })}`;
    expect((await get(url)).status).toBe(404);
    const p = await post(url, { action: 'confirm_membership' });
    expect(neutral(p)).toBe(true);
    expect((await g.state()).handled).toEqual({});
  });

  test('when the link, or its subject for this member, was revoked, then GET and POST give the neutral 404', async () => {
    const g = await startGroup('group_formation');
    const t1 = confirmLink(g, g.members[0]);
    const opened = openLink(SECRET, t1);
    if (!opened.ok) throw new Error('fixture token does not open');
    await revokeLink(models, SECRET, opened.claims.linkId, { reason: 'test', revokedBy: 'staff-key' });
    expect((await get(`${app.url}/l/${t1}`)).status).toBe(404);
    expect((await post(`${app.url}/l/${t1}`, { action: 'confirm_membership' })).status).toBe(404);

    const t2 = confirmLink(g, g.members[1]);
    await revokeSubjectLinks(models, SECRET, { workflowId: g.workflowId, subjectId: g.groupId, memberId: g.members[1] }, { reason: 'left', revokedBy: 'staff-key' });
    expect((await post(`${app.url}/l/${t2}`, { action: 'confirm_membership' })).status).toBe(404);
    // A link issued after the revocation works again (a fresh invitation).
    const t3 = confirmLink(g, g.members[1], { issuedAt: Date.now() + 2000 });
    expect((await post(`${app.url}/l/${t3}`, { action: 'confirm_membership' })).status).toBe(200);
    expect((await g.state()).confirmed).toEqual([g.members[1]]);
  });

  test('when another process revokes (the worker: erasure, a replaced moderator), then the next click is refused although the api holds the revocations in memory', async () => {
    const g = await startGroup('group_formation');
    const [first, second] = g.members;
    // The api's snapshot is warm: a page was served after the last revocation.
    expect((await get(`${app.url}/l/${confirmLink(g, first)}`)).status).toBe(200);
    const counterBefore = (await models.Counter.findOne({ _id: REVOCATION_COUNTER_ID }).lean())?.value ?? 0;

    // A second connection: its own models and its own snapshot, as in the worker process.
    const other = await mongoose.createConnection(db().uri).asPromise();
    try {
      await revokeMemberLinks(createModels(other), SECRET, first, { reason: 'member erased', revokedBy: 'staff-key' });
    } finally {
      await other.close();
    }
    expect((await models.Counter.findOne({ _id: REVOCATION_COUNTER_ID }).lean())?.value).toBe(counterBefore + 1);
    expect(neutral(await get(`${app.url}/l/${confirmLink(g, first)}`))).toBe(true);
    expect(neutral(await post(`${app.url}/l/${confirmLink(g, first)}`, { action: 'confirm_membership' }))).toBe(true);
    // Other members' links are not touched, and nothing reached the workflow for the erased one.
    expect((await post(`${app.url}/l/${confirmLink(g, second)}`, { action: 'confirm_membership' })).status).toBe(200);
    expect((await g.state()).confirmed).toEqual([second]);
  });

  test('when the workflow has moved on, then the POST answers 409 with a clear page and a second click repeats it', async () => {
    const g = await startGroup('group_formation');
    await g.handle.signal(cyclePhaseSignal, { seq: 2, phase: 'deliberation', deadlines: {} as never });
    const url = `${app.url}/l/${confirmLink(g, g.members[0])}`;
    const p = await post(url, { action: 'confirm_membership' });
    expect([p.status, heading(p.body)]).toEqual([409, 'Not possible any more']);
    expect(p.body).toContain('Nothing was changed');
    const again = await post(url, { action: 'confirm_membership' });
    expect([again.status, heading(again.body)]).toEqual([409, 'Not possible any more']);
    expect((await g.state()).handled).toEqual({});
  });

  test('when the workflow refused a click (too early), then nothing was used up and the same link works once the workflow allows it', async () => {
    const g = await startGroup('consolidation');
    const url = `${app.url}/l/${confirmLink(g, g.members[0])}`;
    expect((await post(url, { action: 'confirm_membership' })).status).toBe(409);
    expect(await models.LinkRecent.countDocuments({ workflowId: g.workflowId })).toBe(0);
    await g.handle.signal(cyclePhaseSignal, { seq: 2, phase: 'group_formation', deadlines: {} as never });
    const p = await post(url, { action: 'confirm_membership' });
    expect([p.status, heading(p.body)]).toEqual([200, 'Thank you']);
    expect((await post(url, { action: 'confirm_membership' })).status).toBe(200); // already recorded
    expect((await g.state()).handled).toEqual({ confirmMembership: 1 });
  });

  test('when the workflow has finished, then the POST answers 409 "finished"', async () => {
    const g = await startGroup('group_formation');
    await g.handle.signal(finishSignal);
    await g.handle.result();
    const p = await post(`${app.url}/l/${confirmLink(g, g.members[0])}`, { action: 'confirm_membership' });
    expect([p.status, heading(p.body)]).toEqual([409, 'Not possible any more']);
    expect(p.body).toContain('This part of the process is finished');
  });

  test('when a link is used for another action than it carries, then the neutral 404, no change', async () => {
    const g = await startGroup('group_formation');
    const url = `${app.url}/l/${confirmLink(g, g.moderator)}`;
    const p = await post(url, { action: 'accept_moderator' });
    expect(neutral(p)).toBe(true);
    expect((await g.state()).handled).toEqual({});
    expect(await models.LinkRecent.countDocuments({ workflowId: g.workflowId })).toBe(0);
  });

  test('when the form names another member, then the link still acts only as its own recipient', async () => {
    const g = await startGroup('group_formation');
    const p = await post(`${app.url}/l/${confirmLink(g, g.members[0])}`, { action: 'confirm_membership', memberId: g.members[1], actorId: g.members[1] });
    expect(p.status).toBe(200);
    expect((await g.state()).confirmed).toEqual([g.members[0]]);
  });

  test('when a link of one group is pointed at another group (any edit of the token), then the neutral 404', async () => {
    const a = await startGroup('group_formation');
    const b = await startGroup('group_formation');
    const t = confirmLink(a, a.members[0]);
    // No id in the URL to swap: the only way is to edit the sealed bytes, which breaks the seal.
    const edited = t.replace(a.groupId, b.groupId);
    expect(edited).toBe(t);
    for (const i of [5, 40, t.length - 3]) {
      const changed = t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
      expect((await post(`${app.url}/l/${changed}`, { action: 'confirm_membership' })).status).toBe(404);
    }
    expect((await b.state()).handled).toEqual({});
    expect((await a.state()).handled).toEqual({});
  });

  test('when a moderator uses the link of an older wording, then the workflow refuses it (409) and nothing changes', async () => {
    const g = await startGroup('consolidation', 3);
    const p = await post(`${app.url}/l/${approvalLink(g, '2')}`, { action: 'approve_consolidation' });
    expect([p.status, heading(p.body)]).toEqual([409, 'Not recorded']);
    expect(p.body).toContain('the wording may have changed');
    expect((await g.state()).approval).toEqual({ status: 'pending', version: 3 });
  });

  test('when an approval link is posted without choosing, then the form comes back with a message (422), nothing used', async () => {
    const g = await startGroup('consolidation', 2);
    const url = `${app.url}/l/${approvalLink(g, '2')}`;
    const p = await post(url, {});
    expect(p.status).toBe(422);
    expect(p.body).toContain('Please fill in the form completely.');
    const noComment = await post(url, { action: 'request_change', comment: '  ' });
    expect(noComment.status).toBe(422);
    expect(await models.LinkRecent.countDocuments({ workflowId: g.workflowId })).toBe(0);
  });
});

describe('progress reports', () => {
  test('when a project owner reports progress, then the follow-up workflow records it once with the link as report id', async () => {
    const projectId = `p${randomUUID().slice(0, 8)}`;
    const handle = await dev.client.workflow.start('linkProgressFixture', {
      taskQueue: worker.taskQueue, workflowId: projectWorkflowId(projectId), args: [{ projectId, ownerMemberId: 'owner1' }],
    });
    const url = `${app.url}/l/${token({ actions: ['report_progress'], workflowId: projectWorkflowId(projectId), subjectId: projectId, memberId: 'owner1' })}`;
    const page = await get(url);
    expect(heading(page.body)).toBe('Report progress');
    expect((await post(url, { action: 'report_progress', percent: 'forty' })).status).toBe(422);
    const p = await post(url, { action: 'report_progress', percent: '40', note: 'Two meetups held.' });
    expect([p.status, heading(p.body)]).toEqual([200, 'Thank you']);
    await post(url, { action: 'report_progress', percent: '90' });
    const state = (await handle.query(followUpStatusQuery)) as ProgressFixtureState;
    expect(state.handled).toBe(1);
    expect(state.reports).toEqual([{ reportId: expect.stringMatching(/^link:[0-9a-f]{24}$/), percent: 40, note: 'Two meetups held.', done: false, reportedBy: 'owner1' }]);
  });
});

describe('pages are escaped and ignore the Host header', () => {
  test('when the name and the group title carry <script> and CR/LF, then the page shows them as text', async () => {
    const g = await startGroup('group_formation');
    const s = g.groupId;
    await models.Cycle.create({
      _id: g.cycleId, label: '2025-2026 <img src=x onerror=alert(1)>', countries: [{ country: 'BE', timeZone: 'Europe/Brussels', languages: ['fr'], boardDeadline: 'x', assemblyDate: 'y' }],
      deadlines: {} as never, policies: { minGroupSize: 3, undersizedGroup: 'cancel', silenceAtApprovalDeadline: 'escalate', reminderOffsetsDays: [], progressRequestEveryDays: 90 },
      status: 'running', projection: { phase: 'group_formation', deadlines: {} as never, consolidationVersion: 0, seq: 1 }, createdBy: 't',
    });
    await models.Theme.create({ _id: `t${s}`, cycleId: g.cycleId, country: 'BE', code: `x${s}`, title: { fr: '<script>alert("t")</script>\r\nX: y' }, brief: {} });
    await models.Office.create({ _id: `o${s}`, city: 'Liège</title><script>', country: 'BE' });
    await models.Group.create({ _id: g.groupId, cycleId: g.cycleId, themeId: `t${s}`, kind: 'office', officeId: `o${s}`, status: 'forming', approval: {} });
    const page = await get(`${app.url}/l/${confirmLink(g, g.members[0], { language: 'fr', name: 'Eve <script>alert(1)</script>' })}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<script|<img/i);
    expect(page.body).toContain('Vous agissez en tant que Eve &lt;script&gt;alert(1)&lt;/script&gt;.');
    expect(page.body).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;');
    expect(page.body).toContain('Liège&lt;/title&gt;&lt;script&gt;');
  });

  test('when Host and X-Forwarded-Host are forged, then the page has no absolute URL and the form posts to itself', async () => {
    const g = await startGroup('group_formation');
    const t = confirmLink(g, g.members[0]);
    const page = await raw(app.url, { path: `/l/${t}`, headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('evil.example');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(page.body).toMatch(/<form method="post">/);
    expect(page.body).not.toMatch(/<form[^>]*action=/);
  });
});
