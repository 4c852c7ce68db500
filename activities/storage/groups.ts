/**
 * The working groups' storage as their workflows (and the cycle's formation deadline) write it:
 * statuses, confirmations, the moderator's acceptance, submissions (the originals, kept forever
 * for lineage), approvals. Every write is one conditional single-document operation or an
 * idempotent sequence (deterministic `_id`s): a retried activity changes nothing twice.
 */
import type { GroupDoc, MembershipDoc, Models, RecommendationDoc } from '../../domain/models';
import type {
  Actor, ApprovalSilencePolicy, ApprovalStatus, GroupKind, GroupStatus, UndersizedGroupPolicy,
} from '../../domain/types';
import type { SubmittedRecommendation } from '../../workflows/group/contract';
import { activityNow, audit, fail, FAILURE_TYPES, isDuplicateKey, systemActor } from './process-util';

export interface GroupSnapshot {
  kind: GroupKind;
  status: GroupStatus;
  moderatorMemberId?: string;
  moderatorAccepted: boolean;
  confirmed: number;
  submissionVersion: number;
  approval: { status: ApprovalStatus; version?: number };
}

export interface FormationVerdict {
  groupId: string;
  verdict: 'fallen_back' | 'cancelled';
  fallbackGroupId?: string;
  reason: string;
}

export interface FormationResult {
  verdicts: FormationVerdict[];
  /** Online groups that received members (the cycle starts those it has not started yet). */
  onlineGroupIds: string[];
  kept: number;
}

export interface ApprovalSummary {
  version: number;
  /** Groups whose recommendations are in the document (they approve its wording). */
  concerned: number;
  approved: number;
  tacitlyApproved: number;
  escalated: number;
  changeRequested: number;
  /** Concerned groups that have not answered `version` yet (or not processed their deadline). */
  pending: number;
  /** Groups that submitted recommendations (approvals are due only when there are some). */
  submittedGroups: number;
}

const membershipId = (groupId: string, memberId: string) => `${groupId}:${memberId}`;

async function requireGroup(models: Models, cycleId: string, groupId: string): Promise<GroupDoc> {
  const group = await models.Group.findOne({ _id: groupId }).lean();
  if (!group || group.cycleId !== cycleId) fail(FAILURE_TYPES.UNKNOWN_SUBJECT, `group ${groupId} is not a group of cycle ${cycleId}`);
  return group;
}

async function confirmedCount(models: Models, groupId: string): Promise<number> {
  const memberships = await models.Membership.find({ groupId }, { confirmedAt: 1 }).lean();
  return memberships.filter((m) => m.confirmedAt).length;
}

export function createGroupStorage(models: Models) {
  return {
    /** Checks that a group staff register belongs to the cycle and has not ended. */
    async checkGroup(input: { cycleId: string; groupId: string }): Promise<{ kind: GroupKind; status: GroupStatus }> {
      const group = await requireGroup(models, input.cycleId, input.groupId);
      if (['fallen_back', 'cancelled', 'closed', 'no_recommendations'].includes(group.status)) {
        fail(FAILURE_TYPES.CONFLICT, `group ${input.groupId} has already ended (${group.status})`);
      }
      return { kind: group.kind, status: group.status };
    },

    /** What a (re)started group workflow needs to know about itself. */
    async startGroup(input: { cycleId: string; groupId: string }): Promise<GroupSnapshot> {
      const group = await requireGroup(models, input.cycleId, input.groupId);
      return {
        kind: group.kind,
        status: group.status,
        moderatorMemberId: group.moderatorMemberId,
        moderatorAccepted: Boolean(group.moderatorAcceptedAt),
        confirmed: await confirmedCount(models, input.groupId),
        submissionVersion: group.submissionVersion ?? 0,
        approval: { status: group.approval?.status ?? 'not_requested', version: group.approval?.version },
      };
    },

    /** Moves a group to `status` if it is in one of `from`; records the reason. */
    async setGroupStatus(input: {
      cycleId: string; groupId: string; status: GroupStatus; from: GroupStatus[]; reason?: string; actor?: Actor;
    }): Promise<{ changed: boolean }> {
      const set: Record<string, unknown> = { status: input.status };
      if (input.reason) set.statusReason = input.reason;
      const res = await models.Group.updateOne(
        { _id: input.groupId, cycleId: input.cycleId, status: { $in: input.from } },
        { $set: set },
      );
      if (res.modifiedCount === 1) {
        await audit(models, {
          _id: `group:${input.groupId}:status:${input.status}`,
          actor: input.actor ?? systemActor(`group:${input.groupId}`),
          action: `group.${input.status}`,
          cycleId: input.cycleId,
          subject: input.groupId,
          details: input.reason ? { reason: input.reason } : undefined,
        });
      }
      return { changed: res.modifiedCount === 1 };
    },

    /**
     * A member confirms joining; unknown members are refused (nothing stored). Each equality
     * filter scans the memberships on FerretDB, so the common case is one write: the lookup
     * that tells "unknown" from "already" runs only when nothing changed, and a caller that counts
     * confirmations itself (`count: false`, the group workflow since 2026-11) spares the count.
     */
    async confirmMembership(input: {
      cycleId: string; groupId: string; memberId: string; actorId: string; auditId: string; count?: boolean;
    }): Promise<{ confirmed?: number; already: boolean }> {
      const id = membershipId(input.groupId, input.memberId);
      const res = await models.Membership.updateOne(
        { _id: id, cycleId: input.cycleId, confirmedAt: { $exists: false } },
        { $set: { confirmedAt: activityNow() } },
      );
      const already = res.modifiedCount === 0;
      if (already) {
        const membership = await models.Membership.findOne({ _id: id }, { cycleId: 1 }).lean();
        if (!membership || membership.cycleId !== input.cycleId) {
          fail(FAILURE_TYPES.UNKNOWN_SUBJECT, `member ${input.memberId} is not in group ${input.groupId}`);
        }
      } else {
        await audit(models, {
          _id: input.auditId,
          actor: { kind: input.actorId === input.memberId ? 'member' : 'staff', id: input.actorId },
          action: 'group.membership_confirmed',
          cycleId: input.cycleId,
          subject: input.groupId,
          details: { memberId: input.memberId },
        });
      }
      return input.count === false ? { already } : { confirmed: await confirmedCount(models, input.groupId), already };
    },

    /** The moderator accepts the role; anyone else is refused (NotAllowed). Confirms them too. */
    async acceptModerator(input: { cycleId: string; groupId: string; memberId: string; auditId: string }): Promise<{ confirmed: number }> {
      const group = await requireGroup(models, input.cycleId, input.groupId);
      if (group.moderatorMemberId !== input.memberId) {
        fail(FAILURE_TYPES.NOT_ALLOWED, `member ${input.memberId} is not the moderator of group ${input.groupId}`);
      }
      const now = activityNow();
      await models.Group.updateOne({ _id: input.groupId, moderatorAcceptedAt: { $exists: false } }, { $set: { moderatorAcceptedAt: now } });
      await models.Membership.updateOne(
        { _id: membershipId(input.groupId, input.memberId) },
        { $set: { role: 'moderator' }, $setOnInsert: { cycleId: input.cycleId, groupId: input.groupId, memberId: input.memberId } },
        { upsert: true },
      );
      await models.Membership.updateOne(
        { _id: membershipId(input.groupId, input.memberId), confirmedAt: { $exists: false } },
        { $set: { confirmedAt: now } },
      );
      await audit(models, {
        _id: input.auditId,
        actor: { kind: 'member', id: input.memberId },
        action: 'group.moderator_accepted',
        cycleId: input.cycleId,
        subject: input.groupId,
      });
      return { confirmed: await confirmedCount(models, input.groupId) };
    },

    /**
     * Stores submission `version` of a group: the originals get `<groupId>:v<version>:<n>`, the
     * earlier versions are marked superseded, the group becomes `submitted`.
     */
    async storeSubmission(input: {
      cycleId: string; groupId: string; version: number; items: SubmittedRecommendation[]; actorId: string; auditId: string;
    }): Promise<{ stored: number }> {
      const now = activityNow();
      const docs: RecommendationDoc[] = input.items.map((item, i) => ({
        _id: `${input.groupId}:v${input.version}:${i + 1}`,
        cycleId: input.cycleId,
        groupId: input.groupId,
        submissionVersion: input.version,
        position: i + 1,
        title: item.title.trim(),
        text: item.text.trim(),
        context: item.context.trim(),
        superseded: false,
        submittedAt: now,
      }));
      try {
        await models.Recommendation.insertMany(docs, { ordered: false });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      await models.Recommendation.updateMany(
        { groupId: input.groupId, submissionVersion: { $lt: input.version }, superseded: false },
        { $set: { superseded: true } },
      );
      await models.Group.updateOne(
        { _id: input.groupId, cycleId: input.cycleId },
        { $set: { status: 'submitted', submittedAt: now }, $max: { submissionVersion: input.version } },
      );
      await audit(models, {
        _id: input.auditId,
        actor: { kind: 'staff', id: input.actorId },
        action: 'group.submitted',
        cycleId: input.cycleId,
        subject: input.groupId,
        details: { version: input.version, items: docs.length },
      });
      return { stored: docs.length };
    },

    /**
     * The formation deadline: every group still forming is measured (confirmed memberships,
     * moderator included). One below `minGroupSize` falls back to its theme's online cross-border
     * group (created when first needed; confirmed members move) or is cancelled, per policy; the
     * reason is recorded on the group. Idempotent: a retry finds its own earlier verdicts.
     */
    async evaluateFormation(input: {
      cycleId: string; minGroupSize: number; policy: UndersizedGroupPolicy; auditId: string;
    }): Promise<FormationResult> {
      const now = activityNow();
      const groups = (await models.Group.find({ cycleId: input.cycleId }).lean()).sort((a, b) => (a._id < b._id ? -1 : 1));
      const candidates = groups.filter(
        (g) => g.kind === 'office' && (g.status === 'forming' || g.formation?.auditId === input.auditId),
      );
      const memberships = await models.Membership.find({ cycleId: input.cycleId }).lean();
      const byGroup = new Map<string, MembershipDoc[]>();
      for (const m of memberships) byGroup.set(m.groupId, [...(byGroup.get(m.groupId) ?? []), m]);

      const verdicts: FormationVerdict[] = [];
      const onlineGroupIds = new Set<string>();
      let kept = 0;
      for (const group of candidates) {
        const confirmed = (byGroup.get(group._id) ?? []).filter((m) => m.confirmedAt);
        if (group.formation?.auditId === input.auditId && group.formation.verdict === 'keep') {
          kept += 1;
          continue;
        }
        if (confirmed.length >= input.minGroupSize) {
          await models.Group.updateOne(
            { _id: group._id, status: 'forming' },
            { $set: { formation: { confirmed: confirmed.length, minimum: input.minGroupSize, verdict: 'keep', evaluatedAt: now, auditId: input.auditId } } },
          );
          kept += 1;
          continue;
        }
        const reason = `${confirmed.length} confirmed member(s) at the formation deadline; the minimum is ${input.minGroupSize}`;
        if (input.policy === 'cancel') {
          await models.Group.updateOne(
            { _id: group._id, $or: [{ status: 'forming' }, { 'formation.auditId': input.auditId }] },
            { $set: { status: 'cancelled', statusReason: reason, formation: { confirmed: confirmed.length, minimum: input.minGroupSize, verdict: 'cancelled', evaluatedAt: now, auditId: input.auditId } } },
          );
          verdicts.push({ groupId: group._id, verdict: 'cancelled', reason });
          continue;
        }
        const online = await ensureOnlineGroup(models, input.cycleId, group, now);
        onlineGroupIds.add(online._id);
        for (const m of confirmed) {
          await models.Membership.updateOne(
            { _id: membershipId(online._id, m.memberId) },
            {
              $setOnInsert: {
                cycleId: input.cycleId, groupId: online._id, memberId: m.memberId,
                role: online.moderatorMemberId === m.memberId ? 'moderator' : 'member',
                confirmedAt: m.confirmedAt, movedFromGroupId: group._id,
              },
            },
            { upsert: true },
          );
        }
        const fullReason = `${reason}: members moved to the theme's online cross-border group`;
        await models.Group.updateOne(
          { _id: group._id, $or: [{ status: 'forming' }, { 'formation.auditId': input.auditId }] },
          {
            $set: {
              status: 'fallen_back', statusReason: fullReason, fallbackGroupId: online._id,
              formation: { confirmed: confirmed.length, minimum: input.minGroupSize, verdict: 'fallen_back', evaluatedAt: now, auditId: input.auditId },
            },
          },
        );
        verdicts.push({ groupId: group._id, verdict: 'fallen_back', fallbackGroupId: online._id, reason: fullReason });
      }
      await audit(models, {
        _id: input.auditId,
        actor: systemActor(`cycle:${input.cycleId}`),
        action: 'cycle.formation_evaluated',
        cycleId: input.cycleId,
        subject: input.cycleId,
        details: { kept, fallenBack: verdicts.filter((v) => v.verdict === 'fallen_back').length, cancelled: verdicts.filter((v) => v.verdict === 'cancelled').length, minimum: input.minGroupSize },
      });
      return { verdicts, onlineGroupIds: [...onlineGroupIds].sort(), kept };
    },

    /** Writes a group's approval state for consolidation `version` (never overwrites a newer version). */
    async recordApproval(input: {
      cycleId: string; groupId: string; version: number; status: ApprovalStatus; actor: Actor; auditId: string;
      comment?: string; resolution?: 'approved' | 'change_applied'; policy?: ApprovalSilencePolicy;
    }): Promise<{ moderatorMemberId?: string }> {
      const approval: Record<string, unknown> = { status: input.status, version: input.version, decidedAt: activityNow() };
      if (input.comment) approval.comment = input.comment;
      if (input.resolution) approval.resolution = input.resolution;
      await models.Group.updateOne(
        { _id: input.groupId, cycleId: input.cycleId, $or: [{ 'approval.version': { $exists: false } }, { 'approval.version': { $lte: input.version } }] },
        { $set: { approval } },
      );
      await audit(models, {
        _id: input.auditId,
        actor: input.actor,
        action: `group.approval_${input.status}`,
        cycleId: input.cycleId,
        subject: input.groupId,
        details: { version: input.version, ...(input.resolution ? { resolution: input.resolution } : {}), ...(input.policy ? { policy: input.policy } : {}) },
      });
      const group = await models.Group.findOne({ _id: input.groupId }, { moderatorMemberId: 1 }).lean();
      return { moderatorMemberId: group?.moderatorMemberId };
    },

    /** Where the moderators' approvals of `version` stand, for the cycle's gate before the public review. */
    async approvalSummary(input: { cycleId: string; version: number }): Promise<ApprovalSummary> {
      const [groups, consolidated] = await Promise.all([
        models.Group.find({ cycleId: input.cycleId }, { status: 1, approval: 1 }).lean(),
        models.Consolidated.find({ cycleId: input.cycleId }, { groupIds: 1, withdrawn: 1 }).lean(),
      ]);
      const concernedIds = new Set(consolidated.filter((c) => !c.withdrawn).flatMap((c) => c.groupIds));
      const summary: ApprovalSummary = {
        version: input.version, concerned: 0, approved: 0, tacitlyApproved: 0, escalated: 0, changeRequested: 0, pending: 0,
        submittedGroups: groups.filter((g) => g.status === 'submitted' || g.status === 'closed').length,
      };
      for (const g of groups) {
        if (!concernedIds.has(g._id)) continue;
        summary.concerned += 1;
        const a = g.approval;
        if (!a || a.version !== input.version) {
          summary.pending += 1;
          continue;
        }
        if (a.status === 'approved') summary.approved += 1;
        else if (a.status === 'tacitly_approved') summary.tacitlyApproved += 1;
        else if (a.status === 'escalated') summary.escalated += 1;
        else if (a.status === 'change_requested') summary.changeRequested += 1;
        else summary.pending += 1;
      }
      return summary;
    },
  };
}

/** The theme's online cross-border group, created by the first fallback (deterministic id). */
async function ensureOnlineGroup(models: Models, cycleId: string, fallen: GroupDoc, now: Date): Promise<GroupDoc> {
  const theme = await models.Theme.findOne({ _id: fallen.themeId }).lean();
  const id = theme?.onlineGroupId ?? `${fallen.themeId}-online`.slice(0, 64);
  const moderator = fallen.moderatorAcceptedAt ? fallen.moderatorMemberId : undefined;
  try {
    await models.Group.create({
      _id: id,
      cycleId,
      themeId: fallen.themeId,
      kind: 'online',
      status: 'active',
      statusReason: `created when group ${fallen._id} fell back`,
      ...(moderator ? { moderatorMemberId: moderator, moderatorAcceptedAt: now } : {}),
      submissionVersion: 0,
      approval: { status: 'not_requested' },
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  await models.Theme.updateOne({ _id: fallen.themeId, onlineGroupId: { $exists: false } }, { $set: { onlineGroupId: id } });
  // A later fallback brings a moderator when the online group has none yet.
  if (moderator) {
    await models.Group.updateOne(
      { _id: id, moderatorMemberId: { $exists: false } },
      { $set: { moderatorMemberId: moderator, moderatorAcceptedAt: now } },
    );
  }
  return (await models.Group.findOne({ _id: id }).lean()) as GroupDoc;
}
