/**
 * The cycle workflow's storage: it reads the configuration once and keeps the phase projection
 * (cycles.projection) current for readers. Every projection write carries the workflow's
 * sequence number and only a newer one wins, so a delayed retry never rolls the phase back.
 */
import type { Models } from '../../domain/models';
import type { CycleDeadlines, CycleStatus, Phase } from '../../domain/types';
import type { CycleConfig } from '../../workflows/cycle/contract';
import { participationReport } from '../../api/usecases/participation';
import { activityNow, audit, fail, FAILURE_TYPES, systemActor } from './process-util';

export interface CycleProjectionInput {
  cycleId: string;
  seq: number;
  phase: Phase;
  phaseEnteredAt: string;
  deadlines: CycleDeadlines;
  countries: { country: string; boardDeadline: string; assemblyDate: string; board: string; assembly: string }[];
  consolidationVersion: number;
  status: Exclude<CycleStatus, 'draft'>;
  blockedOn?: string;
  publishedAt?: string;
  /** What changed, for the audit trail (phase change, extension, cancellation). */
  change: { action: string; actor: { kind: 'staff' | 'system'; id: string }; details?: Record<string, unknown> };
}

export function createCycleStorage(models: Models) {
  return {
    /** The configuration a cycle run needs: ids, dates, policies (no personal data). */
    async loadCycleConfig(input: { cycleId: string }): Promise<CycleConfig> {
      const cycle = await models.Cycle.findOne({ _id: input.cycleId }).lean();
      if (!cycle) fail(FAILURE_TYPES.UNKNOWN_SUBJECT, `cycle ${input.cycleId} does not exist`);
      const deadlines = (cycle.projection?.seq ?? 0) > 0 && cycle.projection.deadlines ? cycle.projection.deadlines : cycle.deadlines;
      const projected = new Map((cycle.projection?.countries ?? []).map((c) => [c.country, c]));
      return {
        cycleId: cycle._id,
        deadlines: pickDeadlines(deadlines),
        countries: cycle.countries.map((c) => ({
          country: c.country,
          timeZone: c.timeZone,
          languages: [...c.languages],
          boardDeadline: projected.get(c.country)?.boardDeadline ?? c.boardDeadline,
          assemblyDate: projected.get(c.country)?.assemblyDate ?? c.assemblyDate,
        })),
        policies: {
          minGroupSize: cycle.policies.minGroupSize,
          undersizedGroup: cycle.policies.undersizedGroup,
          silenceAtApprovalDeadline: cycle.policies.silenceAtApprovalDeadline,
          reminderOffsetsDays: [...cycle.policies.reminderOffsetsDays],
          progressRequestEveryDays: cycle.policies.progressRequestEveryDays,
        },
        status: cycle.status,
      };
    },

    /** Writes the phase projection if `seq` is newer than the stored one; audits the change once. */
    async projectCycle(input: CycleProjectionInput): Promise<{ applied: boolean }> {
      const set: Record<string, unknown> = {
        status: input.status,
        'projection.phase': input.phase,
        'projection.phaseEnteredAt': new Date(input.phaseEnteredAt),
        'projection.deadlines': input.deadlines,
        'projection.countries': input.countries,
        'projection.consolidationVersion': input.consolidationVersion,
        'projection.updatedAt': activityNow(),
        'projection.seq': input.seq,
      };
      if (input.publishedAt) set['projection.publishedAt'] = new Date(input.publishedAt);
      const update: Record<string, unknown> = { $set: set };
      if (input.blockedOn) set['projection.blockedOn'] = input.blockedOn;
      else update.$unset = { 'projection.blockedOn': '' };
      const res = await models.Cycle.updateOne({ _id: input.cycleId, 'projection.seq': { $lt: input.seq } }, update);
      await audit(models, {
        _id: `cycle:${input.cycleId}:projection:${input.seq}`,
        actor: input.change.actor,
        action: input.change.action,
        cycleId: input.cycleId,
        subject: input.cycleId,
        details: { phase: input.phase, seq: input.seq, ...(input.blockedOn ? { blockedOn: input.blockedOn } : {}), ...input.change.details },
      });
      return { applied: res.modifiedCount === 1 };
    },

    /** Groups waiting for formation when it opens (registered before the cycle started). */
    async listFormationGroups(input: { cycleId: string }): Promise<{ groups: { groupId: string; kind: 'office' | 'online' }[] }> {
      const groups = await models.Group.find({ cycleId: input.cycleId }, { _id: 1, kind: 1, status: 1 }).lean();
      return {
        groups: groups
          .filter((g) => g.status === 'forming' || (g.kind === 'online' && g.status === 'active'))
          .map((g) => ({ groupId: g._id, kind: g.kind }))
          .sort((a, b) => (a.groupId < b.groupId ? -1 : 1)),
      };
    },

    /** The last step of a cycle: a participation snapshot (counts only) and the status. */
    async completeCycle(input: { cycleId: string; seq: number }): Promise<{ groups: number; meetings: number; consolidated: number }> {
      const report = await participationReport(models, input.cycleId);
      const now = activityNow();
      await models.Cycle.updateOne(
        { _id: input.cycleId },
        { $set: { status: 'completed', completedAt: now, participationReport: report as unknown as Record<string, unknown> } },
      );
      await audit(models, {
        _id: `cycle:${input.cycleId}:completed`,
        actor: systemActor(`cycle:${input.cycleId}`),
        action: 'cycle.completed',
        cycleId: input.cycleId,
        subject: input.cycleId,
        details: { groups: report.groups.total, meetings: report.meetings.total, consolidated: report.recommendations.consolidated },
      });
      return { groups: report.groups.total, meetings: report.meetings.total, consolidated: report.recommendations.consolidated };
    },

    /** Records why a cycle was cancelled (the projection says `cancelled`). */
    async recordCycleCancelled(input: { cycleId: string; reason: string; actorId: string }): Promise<void> {
      await models.Cycle.updateOne({ _id: input.cycleId }, { $set: { status: 'cancelled', cancelledReason: input.reason } });
    },
  };
}

function pickDeadlines(d: CycleDeadlines): CycleDeadlines {
  return {
    formationOpensAt: d.formationOpensAt,
    formationDeadline: d.formationDeadline,
    submissionDeadline: d.submissionDeadline,
    approvalDeadline: d.approvalDeadline,
    publicReviewOpensAt: d.publicReviewOpensAt,
    publicReviewClosesAt: d.publicReviewClosesAt,
  };
}
