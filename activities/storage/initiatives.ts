/**
 * Local initiatives: what a group starts on its own without waiting for the boards (a local
 * cooperative-life committee, an exchange forum, regular meetups). Stored as projects of kind
 * `local_initiative`; the caller starts their follow-up workflow (`project:<id>`).
 */
import { randomBytes } from 'node:crypto';
import type { Models, ProjectDoc } from '../../domain/models';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { assertPhase, requireCycle, requireGroup } from './cycle-config';
import { PHASES } from '../../domain/types';

export interface InitiativeInput {
  id?: string;
  cycleId: string;
  groupId: string;
  title: string;
  description: string;
  ownerMemberId?: string;
}

/** Records a local initiative of a group; any phase once groups exist, unless the cycle was cancelled. */
export async function createInitiative(models: Models, input: InitiativeInput): Promise<ProjectDoc> {
  const cycle = await requireCycle(models, input.cycleId);
  assertPhase(cycle, PHASES.filter((p) => p !== 'preparation'), 'recording a local initiative');
  const group = await requireGroup(models, input.cycleId, input.groupId);
  if (input.ownerMemberId) {
    const owner = await models.Member.findOne({ _id: input.ownerMemberId, erasedAt: { $exists: false } }, { _id: 1 }).lean();
    if (!owner) throw new NotFoundError('member', input.ownerMemberId);
  }
  let country: string | undefined;
  if (group.officeId) country = (await models.Office.findById(group.officeId).lean())?.country;
  if (!country) country = (await models.Theme.findById(group.themeId).lean())?.country;
  try {
    const doc = await models.Project.create({
      _id: input.id ?? `li_${randomBytes(8).toString('hex')}`,
      kind: 'local_initiative',
      cycleId: input.cycleId,
      country: country ?? cycle.countries[0].country,
      groupId: group._id,
      officeId: group.officeId,
      title: input.title,
      description: input.description,
      ownerMemberId: input.ownerMemberId,
      status: 'active',
      progress: [],
    });
    return doc.toObject();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ConflictError(`project ${input.id} already exists`);
    throw err;
  }
}

/** Projects of a cycle (strategic plan and local initiatives). */
export async function listProjects(models: Models, cycleId: string, kind?: 'strategic_plan' | 'local_initiative'): Promise<ProjectDoc[]> {
  await requireCycle(models, cycleId);
  return models.Project.find(kind ? { cycleId, kind } : { cycleId }).sort({ _id: 1 }).lean();
}
