/**
 * A cycle's configuration as staff write it before and while it runs: the edition itself
 * (countries, dates, policies), its working groups, their moderators and members.
 * The phase projection is the workflow's (cycle.projection): these functions read it to refuse
 * input in the wrong phase and never write it.
 */
import type { CycleDoc, GroupDoc, MembershipDoc, Models } from '../../domain/models';
import type {
  CountrySchedule, CycleDeadlines, CyclePolicies, GroupKind, Phase,
} from '../../domain/types';
import { ConflictError, NotFoundError, WrongPhaseError } from '../../domain/errors';

export interface CycleInput {
  id: string;
  label: string;
  countries: CountrySchedule[];
  deadlines: CycleDeadlines;
  policies: CyclePolicies;
  previousCycleId?: string;
}

/** Reads a cycle or throws NotFoundError. */
export async function requireCycle(models: Models, cycleId: string): Promise<CycleDoc> {
  const cycle = await models.Cycle.findById(cycleId).lean();
  if (!cycle) throw new NotFoundError('cycle', cycleId);
  return cycle;
}

/** Throws WrongPhaseError unless the cycle runs (or is a draft) and its projected phase is one of `phases`. */
export function assertPhase(cycle: CycleDoc, phases: Phase[], what: string): void {
  if (cycle.status === 'cancelled' || cycle.status === 'completed') {
    throw new WrongPhaseError(`${what}: cycle ${cycle._id} is ${cycle.status}`, { phase: cycle.projection.phase });
  }
  if (!phases.includes(cycle.projection.phase)) {
    throw new WrongPhaseError(
      `${what} is possible during ${phases.join(', ')}; cycle ${cycle._id} is in ${cycle.projection.phase}`,
      { phase: cycle.projection.phase },
    );
  }
}

/** Stores a new edition in draft; the same id or label twice conflicts. */
export async function createCycle(models: Models, input: CycleInput, actorId: string): Promise<CycleDoc> {
  if (input.previousCycleId) await requireCycle(models, input.previousCycleId);
  try {
    const doc = await models.Cycle.create({
      _id: input.id,
      label: input.label,
      countries: input.countries,
      deadlines: input.deadlines,
      policies: input.policies,
      status: 'draft',
      previousCycleId: input.previousCycleId,
      projection: { phase: 'preparation', deadlines: input.deadlines, consolidationVersion: 0, seq: 0 },
      createdBy: actorId,
    });
    return doc.toObject();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) {
      throw new ConflictError(`a cycle with id ${input.id} or label ${input.label} already exists`);
    }
    throw err;
  }
}

export type CycleConfigPatch = Partial<Pick<CycleInput, 'label' | 'countries' | 'deadlines' | 'policies'>>;

/** Changes a draft cycle's configuration; once started, dates move only through the workflow. */
export async function configureCycle(models: Models, cycleId: string, patch: CycleConfigPatch): Promise<CycleDoc> {
  const set: Record<string, unknown> = {};
  if (patch.label !== undefined) set.label = patch.label;
  if (patch.countries !== undefined) set.countries = patch.countries;
  if (patch.policies !== undefined) set.policies = patch.policies;
  if (patch.deadlines !== undefined) {
    set.deadlines = patch.deadlines;
    set['projection.deadlines'] = patch.deadlines;
  }
  try {
    const doc = await models.Cycle.findOneAndUpdate(
      { _id: cycleId, status: 'draft' },
      { $set: set },
      { returnDocument: 'after', lean: true },
    );
    if (doc) return doc;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ConflictError(`label ${patch.label} is taken`);
    throw err;
  }
  const cycle = await requireCycle(models, cycleId);
  throw new WrongPhaseError(
    `cycle ${cycleId} is ${cycle.status}: configure it before it starts; afterwards extend its dates`,
    { phase: cycle.projection.phase },
  );
}

/** Cycles, newest first. */
export async function listCycles(models: Models): Promise<CycleDoc[]> {
  return models.Cycle.find({}).sort({ createdAt: -1 }).limit(200).lean();
}

export interface GroupInput {
  id: string;
  cycleId: string;
  themeId: string;
  kind: GroupKind;
  officeId?: string;
}

const GROUP_PHASES: Phase[] = ['preparation', 'group_formation'];

/**
 * Adds a working group (an office on a theme, or a theme's online group). Before the start, the
 * workflow reads it with the configuration; during formation the caller registers it with the
 * cycle workflow (registerGroupUpdate).
 */
export async function createGroup(models: Models, input: GroupInput): Promise<{ group: GroupDoc; cycle: CycleDoc }> {
  const cycle = await requireCycle(models, input.cycleId);
  assertPhase(cycle, GROUP_PHASES, 'adding a group');
  const theme = await models.Theme.findOne({ _id: input.themeId, cycleId: input.cycleId }).lean();
  if (!theme) throw new NotFoundError('theme', input.themeId);
  if (input.kind === 'office') {
    if (!input.officeId) throw new ConflictError('an office group needs an officeId');
    const office = await models.Office.findById(input.officeId).lean();
    if (!office) throw new NotFoundError('office', input.officeId);
  }
  try {
    const doc = await models.Group.create({
      _id: input.id,
      cycleId: input.cycleId,
      themeId: input.themeId,
      kind: input.kind,
      officeId: input.kind === 'office' ? input.officeId : undefined,
      status: 'forming',
      submissionVersion: 0,
      approval: { status: 'not_requested' },
    });
    if (input.kind === 'online' && !theme.onlineGroupId) {
      // The theme's online cross-border group: fallbacks join this one instead of creating another.
      await models.Theme.updateOne({ _id: theme._id, onlineGroupId: { $exists: false } }, { $set: { onlineGroupId: input.id } });
    }
    return { group: doc.toObject(), cycle };
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ConflictError(`group ${input.id} already exists`);
    throw err;
  }
}

/** Reads a group of a cycle or throws NotFoundError. */
export async function requireGroup(models: Models, cycleId: string, groupId: string): Promise<GroupDoc> {
  const group = await models.Group.findOne({ _id: groupId, cycleId }).lean();
  if (!group) throw new NotFoundError('group', groupId);
  return group;
}

/** Groups of a cycle, with their member counts. */
export async function listGroups(
  models: Models,
  cycleId: string,
): Promise<(GroupDoc & { memberCount: number })[]> {
  await requireCycle(models, cycleId);
  const [groups, counts] = await Promise.all([
    models.Group.find({ cycleId }).sort({ _id: 1 }).lean(),
    models.Membership.aggregate<{ _id: string; n: number }>([
      { $match: { cycleId } },
      { $group: { _id: '$groupId', n: { $sum: 1 } } },
    ]),
  ]);
  const byGroup = new Map(counts.map((c) => [c._id, c.n]));
  return groups.map((g) => ({ ...g, memberCount: byGroup.get(g._id) ?? 0 }));
}

async function requireLiveMembers(models: Models, memberIds: string[]): Promise<void> {
  const found = await models.Member.find({ _id: { $in: memberIds }, erasedAt: { $exists: false } }, { _id: 1 }).lean();
  const known = new Set(found.map((m) => m._id));
  const missing = memberIds.find((id) => !known.has(id));
  if (missing) throw new NotFoundError('member', missing);
}

/** Names a member as the group's moderator (a member too). Before the moderator has accepted. */
export async function setModerator(models: Models, cycleId: string, groupId: string, memberId: string): Promise<GroupDoc> {
  const cycle = await requireCycle(models, cycleId);
  assertPhase(cycle, GROUP_PHASES, 'naming a moderator');
  const group = await requireGroup(models, cycleId, groupId);
  await requireLiveMembers(models, [memberId]);
  if (group.moderatorAcceptedAt && group.moderatorMemberId !== memberId) {
    throw new ConflictError(`group ${groupId}'s moderator already accepted the role`);
  }
  await models.Membership.updateOne(
    { _id: `${groupId}:${memberId}` },
    { $set: { role: 'moderator' }, $setOnInsert: { cycleId, groupId, memberId } },
    { upsert: true },
  );
  if (group.moderatorMemberId && group.moderatorMemberId !== memberId) {
    await models.Membership.updateOne({ _id: `${groupId}:${group.moderatorMemberId}` }, { $set: { role: 'member' } });
  }
  const doc = await models.Group.findOneAndUpdate(
    { _id: groupId, cycleId },
    { $set: { moderatorMemberId: memberId } },
    { returnDocument: 'after', lean: true },
  );
  if (!doc) throw new NotFoundError('group', groupId);
  return doc;
}

/**
 * Adds members to a group (idempotent: `_id` is `<groupId>:<memberId>`): during preparation or
 * formation, and for online groups during deliberation too.
 */
export async function addMembers(
  models: Models,
  cycleId: string,
  groupId: string,
  memberIds: string[],
): Promise<{ added: number; already: number }> {
  const cycle = await requireCycle(models, cycleId);
  const group = await requireGroup(models, cycleId, groupId);
  // A theme's online cross-border group takes people during deliberation too (fallbacks, joiners).
  assertPhase(cycle, group.kind === 'online' ? [...GROUP_PHASES, 'deliberation'] : GROUP_PHASES, 'adding members to a group');
  const unique = [...new Set(memberIds)];
  await requireLiveMembers(models, unique);
  const result = await models.Membership.bulkWrite(
    unique.map((memberId) => ({
      updateOne: {
        filter: { _id: `${groupId}:${memberId}` },
        update: { $setOnInsert: { cycleId, groupId, memberId, role: 'member' } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  const added = result.upsertedCount ?? 0;
  return { added, already: unique.length - added };
}

/** Members of a group with their role (ids only; names come from members). */
export async function listMemberships(models: Models, cycleId: string, groupId: string): Promise<MembershipDoc[]> {
  await requireGroup(models, cycleId, groupId);
  return models.Membership.find({ groupId }).sort({ _id: 1 }).lean();
}
