/**
 * Who receives a group's mail, on FerretDB: an office group's members are read with one scan of
 * their office (not one scan per member); members outside the office are still found.
 */
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { resolveAudience } from '../../activities/mail/audience';
import { useTestDatabase } from '../support/mongo';
import { seedWorld } from '../links/seed';

const db = useTestDatabase();
let models: Models;

beforeAll(async () => {
  models = createModels(db().connection);
  await syncIndexes(models);
});

test('when a group has members of its office and of another office, then every one of them is in its audience, once, by id', async () => {
  const w = await seedWorld(models, { members: 6 });
  // One member moved to another office after joining; one member of the office is not in the group.
  const moved = w.members[2]._id;
  await models.Member.updateOne({ _id: moved }, { $set: { officeId: `elsewhere-${w.suffix}` } });
  await models.Member.create({ _id: `x${w.suffix}`, name: 'Not in the group', email: `x${w.suffix}@example.org`, emailKey: `x${w.suffix}@example.org`, language: 'fr', country: 'BE', officeId: w.officeId });

  const audience = await resolveAudience(models, { kind: 'group_members', groupId: w.groupId });
  const expected = [w.moderator._id, ...w.members.map((m) => m._id)].sort();
  expect(audience.map((m) => m._id)).toEqual(expected);
  expect(audience.find((m) => m._id === moved)?.email).toBe(w.members[2].email);

  const unconfirmed = await resolveAudience(models, { kind: 'group_members', groupId: w.groupId, unconfirmedOnly: true });
  // seedWorld confirms the moderator and the first member.
  expect(unconfirmed.map((m) => m._id)).toEqual(w.members.slice(1).map((m) => m._id).sort());
});

test('when a group has no office (online), then its members are read by id', async () => {
  const w = await seedWorld(models, { members: 5 });
  await models.Group.updateOne({ _id: w.groupId }, { $set: { kind: 'online' }, $unset: { officeId: 1 } });
  const audience = await resolveAudience(models, { kind: 'group_members', groupId: w.groupId });
  expect(audience.map((m) => m._id)).toEqual([w.moderator._id, ...w.members.map((m) => m._id)].sort());
});
