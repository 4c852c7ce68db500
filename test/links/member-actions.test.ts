/**
 * Link actions that write MongoDB, not a workflow: reactions and RSVPs during public review
 * (gated by the cycle's phase projection), unsubscribe (RFC 8058 one-click too) and erasure.
 */
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { useTestDatabase } from '../support/mongo';
import { connectDevServer, type DevServer } from '../support/temporal';
import { memberDisplayName } from '../../activities/storage/erasure';
import { seedWorld, type World } from './seed';
import { get, heading, post, startLinkApp, token, type LinkApp } from './helpers';

const db = useTestDatabase();
let models: Models;
let dev: DevServer;
let app: LinkApp;

beforeAll(async () => {
  models = createModels(db().connection);
  await syncIndexes(models);
  dev = await connectDevServer();
  app = await startLinkApp({ models, temporalClient: dev.client });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await dev?.close();
});

const reviewLink = (w: World, memberId: string, version = '2') =>
  token({ actions: ['react', 'rsvp'], workflowId: `cycle:${w.cycleId}`, subjectId: w.cycleId, memberId, version, language: 'nl' });

describe('public review: reactions and RSVPs', () => {
  test('when the review is not open yet, then reacting is refused without using the link; once open, it is recorded once per recommendation', async () => {
    const w = await seedWorld(models, { members: 1, phase: 'consolidation' });
    const m = w.members[0];
    const url = `${app.url}/l/${reviewLink(w, m._id)}`;
    const overview = await get(url);
    expect(overview.status).toBe(200);
    expect(heading(overview.body)).toBe(`Publieke consultatie 2025-2026 ${w.suffix}`);
    for (const id of w.recommendationIds) expect(overview.body).toContain(`href="?r=${id}"`);
    const rec = w.recommendationIds[0];
    const page = await get(`${url}?r=${rec}`);
    expect(heading(page.body)).toBe('Reageren op aanbeveling 1');

    const early = await post(`${url}?r=${rec}`, { action: 'react', recommendationId: rec, stance: 'support' });
    expect([early.status, heading(early.body)]).toEqual([409, 'Niet meer mogelijk']);
    expect(await models.Reaction.countDocuments({ memberId: m._id })).toBe(0);

    await models.Cycle.updateOne({ _id: w.cycleId }, { $set: { 'projection.phase': 'public_review' } });
    const first = await post(`${url}?r=${rec}`, { action: 'react', recommendationId: rec, stance: 'support', comment: 'Yes, <b>please</b>' });
    expect([first.status, heading(first.body)]).toEqual([200, 'Bedankt']);
    const again = await post(`${url}?r=${rec}`, { action: 'react', recommendationId: rec, stance: 'oppose' });
    expect([again.status, heading(again.body)]).toEqual([200, 'Al geregistreerd']);
    expect(heading((await get(`${url}?r=${rec}`)).body)).toBe('Al geregistreerd');
    const other = await post(url, { action: 'react', recommendationId: w.recommendationIds[1], stance: 'neutral' });
    expect(other.status).toBe(200);
    const reactions = await models.Reaction.find({ memberId: m._id }).sort({ _id: 1 }).lean();
    expect(reactions.map((r) => [r.recommendationId, r.stance, r.comment])).toEqual([
      [w.recommendationIds[0], 'support', 'Yes, <b>please</b>'],
      [w.recommendationIds[1], 'neutral', undefined],
    ]);
    // A recommendation of another cycle, or a made-up one: refused.
    const bogus = await post(url, { action: 'react', recommendationId: 'nope', stance: 'support' });
    expect(bogus.status).toBe(409);
  });

  test('when the document was republished, then a link for the old version is refused ("changed")', async () => {
    const w = await seedWorld(models, { members: 1, phase: 'public_review', consolidationVersion: 3 });
    const p = await post(`${app.url}/l/${reviewLink(w, w.members[0]._id, '2')}`, { action: 'react', recommendationId: w.recommendationIds[0], stance: 'support' });
    expect([p.status, heading(p.body)]).toEqual([409, 'Niet geregistreerd']);
  });

  test('when a member RSVPs, then one answer per videoconference; a link for an older time is refused', async () => {
    const w = await seedWorld(models, { members: 1, phase: 'public_review' });
    const m = w.members[0];
    const vc = w.videoconferenceIds[0];
    const url = `${app.url}/l/${reviewLink(w, m._id)}`;
    expect(heading((await get(`${url}?vc=${vc}`)).body)).toBe('Videoconferentie Debat 1');
    expect((await post(`${url}?vc=${vc}`, { action: 'rsvp', videoconferenceId: vc, answer: 'yes' })).status).toBe(200);
    expect((await post(`${url}?vc=${vc}`, { action: 'rsvp', videoconferenceId: vc, answer: 'no' })).status).toBe(200);
    expect(await models.Rsvp.findOne({ _id: `${vc}:${m._id}` }).lean()).toMatchObject({ answer: 'yes' });

    // The update mail's link names the videoconference and its sequence.
    await models.Videoconference.updateOne({ _id: vc }, { $set: { sequence: 1 } });
    const old = token({ actions: ['rsvp'], workflowId: `cycle:${w.cycleId}`, subjectId: vc, memberId: m._id, version: '0' });
    const fresh = token({ actions: ['rsvp'], workflowId: `cycle:${w.cycleId}`, subjectId: vc, memberId: m._id, version: '1' });
    expect(heading((await get(`${app.url}/l/${fresh}`)).body)).toBe('Videoconference Debate 1');
    expect((await post(`${app.url}/l/${old}`, { action: 'rsvp', videoconferenceId: vc, answer: 'no' })).status).toBe(409);
    expect((await post(`${app.url}/l/${fresh}`, { action: 'rsvp', videoconferenceId: vc, answer: 'no' })).status).toBe(200);
    expect(await models.Rsvp.findOne({ _id: `${vc}:${m._id}` }).lean()).toMatchObject({ answer: 'no' });
  });
});

describe('unsubscribe and erasure', () => {
  const memberLink = (w: World, memberId: string) =>
    token({ actions: ['unsubscribe', 'erase_data'], workflowId: `cycle:${w.cycleId}`, subjectId: memberId, memberId });

  test('when a mail client posts the RFC 8058 one-click body, then the member is unsubscribed (GET alone never does)', async () => {
    const w = await seedWorld(models, { members: 2 });
    const [a, b] = w.members;
    const urlA = `${app.url}/l/${memberLink(w, a._id)}`;
    expect(heading((await get(urlA)).body)).toBe('Stop notifications');
    expect((await models.Member.findOne({ _id: a._id }).lean())?.unsubscribedAt).toBeUndefined();
    const oneClick = await post(urlA, { 'List-Unsubscribe': 'One-Click' });
    expect([oneClick.status, heading(oneClick.body)]).toEqual([200, 'Unsubscribed']);
    expect((await models.Member.findOne({ _id: a._id }).lean())?.unsubscribedAt).toBeInstanceOf(Date);
    expect((await post(urlA, { 'List-Unsubscribe': 'One-Click' })).status).toBe(200); // idempotent

    // Some clients post multipart/form-data: the body does not matter.
    const multipart = await get(`${app.url}/l/${memberLink(w, b._id)}`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
    });
    expect(multipart.status).toBe(200);
    expect((await models.Member.findOne({ _id: b._id }).lean())?.unsubscribedAt).toBeInstanceOf(Date);
  });

  test('when a member erases their data, then name and address are blanked, comments removed, and every link of theirs stops working', async () => {
    const w = await seedWorld(models, { members: 1, phase: 'public_review' });
    const m = w.members[0];
    const review = `${app.url}/l/${reviewLink(w, m._id)}`;
    await post(review, { action: 'react', recommendationId: w.recommendationIds[0], stance: 'oppose', comment: 'my words' });
    const url = `${app.url}/l/${memberLink(w, m._id)}`;
    expect((await post(url, { action: 'erase_data' })).status).toBe(422);
    expect((await models.Member.findOne({ _id: m._id }).lean())?.erasedAt).toBeUndefined();
    const erased = await post(url, { action: 'erase_data', confirm: 'yes' });
    expect([erased.status, heading(erased.body)]).toEqual([200, 'Erased']);
    const doc = await models.Member.findOne({ _id: m._id }).lean();
    expect(doc).toMatchObject({ name: '', email: '', emailKey: `erased:${m._id}` });
    expect(memberDisplayName(doc, 'fr')).toBe('membre effacé');
    const reaction = await models.Reaction.findOne({ _id: `${w.recommendationIds[0]}:${m._id}` }).lean();
    expect([reaction?.stance, reaction?.comment]).toEqual(['oppose', undefined]);
    expect((await get(review)).status).toBe(404);
    expect((await get(url)).status).toBe(404);
    expect(await models.Audit.countDocuments({ _id: `member-erased:${m._id}` })).toBe(1);
  });
});
