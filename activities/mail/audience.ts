/**
 * Who receives a bulk mail, read from MongoDB in as few queries as possible. On FerretDB a
 * filter that PostgreSQL cannot evaluate (`$in`, `$gt`, sort) makes FerretDB decode the whole
 * collection (about 6 to 10 s at 100,000 documents), while equality on a top-level field is
 * pushed down (and served by an index, scripts/stack/postgres-lookups.ts). So: "every member"
 * office by office (one indexed equality each, `audiencePages`), lookups by `_id` for small
 * lists, and the sorting and paging in memory.
 */
import type { MemberDoc, Models } from '../../domain/models';
import type { Audience } from './contract';

export type AudienceMember = Pick<MemberDoc, '_id' | 'name' | 'email' | 'language' | 'country' | 'erasedAt' | 'unsubscribedAt'>;

const MEMBER_FIELDS = { _id: 1, name: 1, email: 1, language: 1, country: 1, erasedAt: 1, unsubscribedAt: 1 } as const;

/** Up to this many ids are read one by one; above it, one pass over the collection is cheaper. */
const ONE_BY_ONE_MAX = 40;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Members by id (missing ids are dropped), sorted by id. */
export async function membersById(models: Models, ids: string[]): Promise<AudienceMember[]> {
  const unique = [...new Set(ids)];
  let found: (AudienceMember | null)[];
  if (unique.length <= ONE_BY_ONE_MAX) {
    found = await mapLimit(unique, 4, (id) => models.Member.findOne({ _id: id }, MEMBER_FIELDS).lean<AudienceMember>().exec());
  } else {
    const wanted = new Set(unique);
    found = (await models.Member.find({}, MEMBER_FIELDS).lean<AudienceMember[]>()).filter((m) => wanted.has(m._id));
  }
  return found.filter((m): m is AudienceMember => m !== null).sort(byId);
}

/** Below this many members, lookups by `_id` cost less than reading the group's office. */
const OFFICE_READ_MIN = 4;

/**
 * A group's members. Every equality filter is a scan of the collection on FerretDB (its pushdown
 * `_jsonb->$1 @> $2` cannot use the btree indexes it creates): twenty lookups by `_id` are twenty
 * scans of 100,000 members, and a group's welcome mails at Smart's size cost 40,000 of them. An
 * office group's members nearly all belong to its office: one scan (`officeId`) finds them; the
 * few who do not (moved, online groups) are read by `_id`.
 */
async function membersOfGroup(models: Models, groupId: string, ids: string[]): Promise<AudienceMember[]> {
  if (ids.length < OFFICE_READ_MIN) return membersById(models, ids);
  const group = await models.Group.findOne({ _id: groupId }, { officeId: 1 }).lean();
  if (!group?.officeId) return membersById(models, ids);
  const wanted = new Set(ids);
  const inOffice = (await officeMembers(models, group.officeId)).filter((m) => wanted.has(m._id));
  const found = new Set(inOffice.map((m) => m._id));
  const elsewhere = ids.filter((id) => !found.has(id));
  return [...inOffice, ...(elsewhere.length > 0 ? await membersById(models, elsewhere) : [])].sort(byId);
}

/**
 * How long one read of an office's members serves the groups of that office. When formation
 * opens, every group sends its invitation and its framing brief within a minute: at Smart's
 * size 2,000 mailings over about a hundred offices, each read a scan of 100,000 members. The
 * window bounds how stale a mailing can be: an address changed, a member erased or
 * unsubscribed less than this long ago (the send path checks the flags of the read it has).
 */
export const OFFICE_READ_TTL_MS = 60_000;

const officeReads = new WeakMap<Models, Map<string, { at: number; members: Promise<AudienceMember[]> }>>();

function officeMembers(models: Models, officeId: string): Promise<AudienceMember[]> {
  let reads = officeReads.get(models);
  if (!reads) officeReads.set(models, (reads = new Map()));
  const now = Date.now();
  for (const [key, read] of reads) if (now - read.at > OFFICE_READ_TTL_MS) reads.delete(key);
  let read = reads.get(officeId);
  if (!read) {
    read = { at: now, members: models.Member.find({ officeId }, MEMBER_FIELDS).lean<AudienceMember[]>().exec() };
    // A failed read is not kept: the activity's retry reads again.
    read.members.catch(() => reads!.delete(officeId));
    reads.set(officeId, read);
  }
  return read.members;
}

const byId = (a: { _id: string }, b: { _id: string }) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/** A page of an audience, and the cursor after it (where a retried fan-out resumes). */
export interface AudiencePage {
  members: AudienceMember[];
  cursor: string;
}

/** The last bucket of "every member": members without an office, or with one no longer listed. */
const UNPLACED = 'unplaced';

async function audienceCountries(models: Models, audience: Extract<Audience, { kind: 'cycle_members' }>): Promise<string[]> {
  if (audience.countries && audience.countries.length > 0) return audience.countries;
  const cycle = await models.Cycle.findOne({ _id: audience.cycleId }, { countries: 1 }).lean();
  return cycle?.countries.map((c) => c.country) ?? [];
}

/**
 * Every member of some countries, bucket by bucket in a fixed order: each office (by id), then
 * the unplaced. One bucket is in memory at a time, about 2,000 members at Smart's size (49
 * offices), where reading a country whole held 36,000 members for Belgium's assembly mailing and
 * 100,000 for the public review, with the driver's buffers.
 */
async function* cycleMemberBuckets(models: Models, countries: string[]): AsyncGenerator<{ key: string; members: () => Promise<AudienceMember[]> }> {
  const wanted = new Set(countries);
  const offices = (await models.Office.find({}, { _id: 1 }).lean()).map((o) => o._id).sort();
  const known = new Set(offices);
  // One country: PostgreSQL filters on both fields, so other countries' offices cost nothing.
  const filter = (officeId: string) => (countries.length === 1 ? { officeId, country: countries[0] } : { officeId });
  for (const officeId of offices) {
    yield {
      key: `office:${officeId}`,
      members: async () => (await models.Member.find(filter(officeId), MEMBER_FIELDS).lean<AudienceMember[]>()).filter((m) => wanted.has(m.country)),
    };
  }
  yield {
    key: UNPLACED,
    members: async () => {
      // Their ids first (a projected read per country), then their details by `_id` or by the
      // unknown office they name: few members at all, none on a well-kept register.
      const placedNowhere: { _id: string; officeId?: string }[] = [];
      for (const country of countries) {
        const ids = await models.Member.find({ country }, { _id: 1, officeId: 1 }).lean<{ _id: string; officeId?: string }[]>();
        placedNowhere.push(...ids.filter((m) => !m.officeId || !known.has(m.officeId)));
      }
      const byOffice = new Map<string, string[]>();
      for (const m of placedNowhere) {
        const key = m.officeId ?? '';
        byOffice.set(key, byOffice.get(key) ?? []);
        byOffice.get(key)!.push(m._id);
      }
      const found: AudienceMember[] = [];
      for (const [officeId, ids] of byOffice) {
        if (officeId === '' || ids.length <= ONE_BY_ONE_MAX) found.push(...(await mapLimit(ids, 4, (id) => models.Member.findOne({ _id: id }, MEMBER_FIELDS).lean<AudienceMember>().exec())).filter((m): m is AudienceMember => m !== null));
        else {
          const idSet = new Set(ids);
          found.push(...(await models.Member.find({ officeId }, MEMBER_FIELDS).lean<AudienceMember[]>()).filter((m) => idSet.has(m._id)));
        }
      }
      return found.filter((m) => wanted.has(m.country));
    },
  };
}

/** Whether a fan-out's saved cursor belongs to this kind of audience (a change of format resumes nothing). */
export function isAudienceCursor(audience: Audience, cursor: string): boolean {
  if (audience.kind !== 'cycle_members') return !cursor.startsWith('[');
  try {
    const parsed: unknown = JSON.parse(cursor);
    return Array.isArray(parsed) && parsed.length === 2 && parsed.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

/**
 * An audience page by page, in a fixed order, after `cursor` (a cursor of this function). Lists
 * (a group, its moderators, named members) are read whole and paged by member id; "every
 * member" is read office by office and its cursor is [bucket, member id].
 */
export async function* audiencePages(models: Models, audience: Audience, pageSize: number, cursor: string | null): AsyncGenerator<AudiencePage> {
  if (audience.kind !== 'cycle_members') {
    const members = await resolveAudience(models, audience);
    const start = cursor ? members.findIndex((m) => m._id > cursor) : 0;
    if (start < 0) return;
    for (let p = start; p < members.length; p += pageSize) {
      const page = members.slice(p, p + pageSize);
      yield { members: page, cursor: page[page.length - 1]._id };
    }
    return;
  }
  const [afterBucket, afterMember] = cursor ? (JSON.parse(cursor) as [string, string]) : ['', ''];
  // Pages run across offices (small offices would make small pages, each with its round trips).
  let page: AudienceMember[] = [];
  let at = '';
  for await (const bucket of cycleMemberBuckets(models, await audienceCountries(models, audience))) {
    if (bucket.key < afterBucket) continue;
    let members = (await bucket.members()).sort(byId);
    if (bucket.key === afterBucket) members = members.filter((m) => m._id > afterMember);
    for (const member of members) {
      page.push(member);
      at = JSON.stringify([bucket.key, member._id]);
      if (page.length === pageSize) {
        yield { members: page, cursor: at };
        page = [];
      }
    }
  }
  if (page.length > 0) yield { members: page, cursor: at };
}

/** Resolves an audience to members, sorted by id (small audiences; the fan-out pages with `audiencePages`). */
export async function resolveAudience(models: Models, audience: Audience): Promise<AudienceMember[]> {
  switch (audience.kind) {
    case 'members':
      return membersById(models, audience.memberIds);
    case 'cycle_members': {
      const members: AudienceMember[] = [];
      for await (const page of audiencePages(models, audience, 1_000, null)) members.push(...page.members);
      return members.sort(byId);
    }
    case 'group_members': {
      const memberships = await models.Membership.find({ groupId: audience.groupId }, { memberId: 1, confirmedAt: 1 }).lean();
      const ids = memberships.filter((m) => !audience.unconfirmedOnly || !m.confirmedAt).map((m) => m.memberId);
      return membersOfGroup(models, audience.groupId, ids);
    }
    case 'group_moderators': {
      const wanted = new Set(audience.groupIds);
      const groups = await models.Group.find({ cycleId: audience.cycleId }, { moderatorMemberId: 1 }).lean();
      const ids = groups.filter((g) => wanted.has(g._id) && g.moderatorMemberId).map((g) => g.moderatorMemberId as string);
      return membersById(models, ids);
    }
  }
}
