/**
 * Who receives a group's mail, on FerretDB: an office group's members are read with one scan of
 * their office (not one scan per member); members outside the office are still found.
 */
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { audiencePages, isAudienceCursor, resolveAudience, type AudiencePage } from '../../activities/mail/audience';
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

describe('every member of a country, office by office', () => {
  // Countries of their own: the tests above wrote Belgian members to this database.
  const member = (id: string, country: string, officeId?: string) => ({
    _id: id, name: `Member ${id}`, email: `${id}@example.org`, emailKey: `${id}@example.org`, language: 'fr', country, ...(officeId ? { officeId } : {}),
  });

  beforeAll(async () => {
    await models.Office.insertMany([
      { _id: 'o-be-2', city: 'Liège', country: 'XA' },
      { _id: 'o-be-1', city: 'Bruxelles', country: 'XA' },
      { _id: 'o-fr-1', city: 'Lille', country: 'XB' },
    ]);
    await models.Member.insertMany([
      member('m05', 'XA', 'o-be-1'), member('m01', 'XA', 'o-be-1'), member('m03', 'XA', 'o-be-1'),
      member('m02', 'XA', 'o-be-2'),
      member('m04', 'XA', 'o-fr-1'), // a member of one country attached to another's office
      member('m06', 'XA'), // no office
      member('m07', 'XA', 'o-closed'), // an office no longer listed
      member('m08', 'XB', 'o-fr-1'), member('m09', 'XB', 'o-be-1'),
    ]);
  });

  const collect = async (audience: Parameters<typeof audiencePages>[1], pageSize: number, cursor: string | null = null) => {
    const pages: AudiencePage[] = [];
    for await (const page of audiencePages(models, audience, pageSize, cursor)) pages.push(page);
    return pages;
  };

  test('when a country is mailed, then each of its members comes once, in office order, the unplaced last, and a cursor resumes after its page', async () => {
    const pages = await collect({ kind: 'cycle_members', cycleId: 'c', countries: ['XA'] }, 2);
    expect(pages.map((p) => p.members.map((m) => m._id))).toEqual([['m01', 'm03'], ['m05', 'm02'], ['m04', 'm06'], ['m07']]);
    expect(pages.every((p) => isAudienceCursor({ kind: 'cycle_members', cycleId: 'c' }, p.cursor))).toBe(true);

    const rest = await collect({ kind: 'cycle_members', cycleId: 'c', countries: ['XA'] }, 2, pages[0].cursor);
    expect(rest.flatMap((p) => p.members.map((m) => m._id))).toEqual(['m05', 'm02', 'm04', 'm06', 'm07']);
    // A cursor in the middle of an office resumes inside it.
    const inside = await collect({ kind: 'cycle_members', cycleId: 'c', countries: ['XA'] }, 1, JSON.stringify(['office:o-be-1', 'm03']));
    expect(inside.flatMap((p) => p.members.map((m) => m._id))).toEqual(['m05', 'm02', 'm04', 'm06', 'm07']);
    expect(await collect({ kind: 'cycle_members', cycleId: 'c', countries: ['XA'] }, 2, pages.at(-1)!.cursor)).toEqual([]);
  });

  test('when several countries are mailed, then the members of each, whatever their office, and the whole list matches resolveAudience', async () => {
    const pages = await collect({ kind: 'cycle_members', cycleId: 'c', countries: ['XA', 'XB'] }, 100);
    const ids = pages.flatMap((p) => p.members.map((m) => m._id));
    expect([...ids].sort()).toEqual(['m01', 'm02', 'm03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09']);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await resolveAudience(models, { kind: 'cycle_members', cycleId: 'c', countries: ['XB'] })).map((m) => m._id)).toEqual(['m08', 'm09']);
  });

  test('when a cursor has another format, then it is not taken for this audience', () => {
    expect(isAudienceCursor({ kind: 'cycle_members', cycleId: 'c' }, 'm03')).toBe(false);
    expect(isAudienceCursor({ kind: 'group_members', groupId: 'g' }, 'm03')).toBe(true);
    expect(isAudienceCursor({ kind: 'group_members', groupId: 'g' }, '["office:o","m03"]')).toBe(false);
  });
});
