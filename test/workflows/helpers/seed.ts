/**
 * Writes an edition (test/fixtures/edition-2019-2020.ts) into MongoDB as staff would have set it
 * up before the start: offices, members, themes with briefs, the cycle in draft, the office groups
 * with their moderators and members. Direct inserts: the api's own routes are tested elsewhere.
 */
import type { Models } from '../../../domain/models';
import type { CountrySchedule, CycleDeadlines, CyclePolicies } from '../../../domain/types';
import type { Edition } from '../../fixtures/edition-2019-2020';

export interface SeedOptions {
  deadlines: CycleDeadlines;
  countries: CountrySchedule[];
  policies?: Partial<CyclePolicies>;
  /** Only these group keys (default: all 17). */
  groupKeys?: string[];
}

export async function seedEdition(models: Models, edition: Edition, options: SeedOptions): Promise<void> {
  const now = new Date();
  await models.Office.insertMany(edition.offices.map((o) => ({ _id: o.id, city: o.city, country: o.country })), { ordered: false }).catch(ignoreDuplicates);
  await models.Member.insertMany(
    edition.members.map((m) => ({
      _id: m.id, name: m.name, email: m.email, emailKey: m.email.toLowerCase(), language: m.language, country: m.country, officeId: m.officeId,
      createdAt: now, updatedAt: now,
    })),
    { ordered: false },
  ).catch(ignoreDuplicates);
  await models.Theme.insertMany(
    edition.themes.map((t) => ({ _id: t.id, cycleId: edition.cycleId, country: t.country, code: t.code, title: t.title, brief: t.brief })),
    { ordered: false },
  ).catch(ignoreDuplicates);
  await models.Cycle.create({
    _id: edition.cycleId,
    label: edition.label,
    countries: options.countries,
    deadlines: options.deadlines,
    policies: { ...edition.policies, ...options.policies },
    status: 'draft',
    projection: { phase: 'preparation', deadlines: options.deadlines, consolidationVersion: 0, seq: 0 },
    createdBy: 'key-staff-test',
  });
  const groups = edition.groups.filter((g) => !options.groupKeys || options.groupKeys.includes(g.key));
  if (groups.length === 0) return;
  await models.Group.insertMany(
    groups.map((g) => ({
      _id: g.id, cycleId: edition.cycleId, themeId: g.themeId, kind: 'office', officeId: g.officeId,
      moderatorMemberId: g.moderatorId, status: 'forming', submissionVersion: 0, approval: { status: 'not_requested' },
    })),
  );
  await models.Membership.insertMany(
    groups.flatMap((g) => [
      { _id: `${g.id}:${g.moderatorId}`, cycleId: edition.cycleId, groupId: g.id, memberId: g.moderatorId, role: 'moderator' },
      ...g.memberIds.map((m) => ({ _id: `${g.id}:${m}`, cycleId: edition.cycleId, groupId: g.id, memberId: m, role: 'member' })),
    ]),
  );
}

function ignoreDuplicates(err: unknown): void {
  const e = err as { code?: number; writeErrors?: { code?: number }[] };
  if (e?.code === 11000 || e?.writeErrors?.every((w) => w.code === 11000)) return;
  throw err;
}
