/**
 * The participation report of one cycle, computed from MongoDB: groups per office and theme,
 * meetings by mode, attendance in person versus online, recommendations per stage. Counts only:
 * no names, so operators may read it too.
 */
import type { Models } from '../../domain/models';
import { requireCycle } from '../../activities/storage/cycle-config';

export interface ParticipationReport {
  cycleId: string;
  groups: {
    total: number;
    byStatus: Record<string, number>;
    list: {
      groupId: string;
      kind: string;
      officeId?: string;
      office?: string;
      themeId: string;
      theme?: string;
      country?: string;
      status: string;
      members: number;
      meetings: number;
    }[];
  };
  meetings: {
    total: number;
    byMode: Record<string, number>;
    joint: number;
    attendance: {
      in_person: { meetings: number; attendees: number; guests: number; averagePerMeeting: number };
      online: { meetings: number; attendees: number; guests: number; averagePerMeeting: number };
    };
    distinctParticipants: number;
  };
  recommendations: {
    submitted: number;
    groupsWithoutRecommendations: number;
    consolidated: number;
    withdrawn: number;
    decisions: Record<string, Record<string, number>>;
    ratified: Record<string, number>;
  };
  localInitiatives: number;
  projects: number;
}

/** Builds the report; a few aggregate reads, no per-member query. */
export async function participationReport(models: Models, cycleId: string): Promise<ParticipationReport> {
  await requireCycle(models, cycleId);
  const [groups, themes, offices, memberCounts, meetings, submitted, consolidated, projects] = await Promise.all([
    models.Group.find({ cycleId }).sort({ _id: 1 }).lean(),
    models.Theme.find({ cycleId }).lean(),
    models.Office.find({}).lean(),
    models.Membership.aggregate<{ _id: string; n: number }>([
      { $match: { cycleId } },
      { $group: { _id: '$groupId', n: { $sum: 1 } } },
    ]),
    models.Meeting.find({ cycleId }).lean(),
    models.Recommendation.find({ cycleId, superseded: { $ne: true } }, { groupId: 1 }).lean(),
    models.Consolidated.find({ cycleId }, { withdrawn: 1, decisions: 1, assembly: 1 }).lean(),
    models.Project.find({ cycleId }, { kind: 1 }).lean(),
  ]);
  const themeById = new Map(themes.map((t) => [t._id, t]));
  const officeById = new Map(offices.map((o) => [o._id, o]));
  const membersByGroup = new Map(memberCounts.map((c) => [c._id, c.n]));
  const meetingsByGroup = new Map<string, number>();
  for (const m of meetings) {
    for (const g of [m.groupId, ...m.jointWithGroupIds]) meetingsByGroup.set(g, (meetingsByGroup.get(g) ?? 0) + 1);
  }
  const byStatus: Record<string, number> = {};
  for (const g of groups) byStatus[g.status] = (byStatus[g.status] ?? 0) + 1;

  const attendance = {
    in_person: { meetings: 0, attendees: 0, guests: 0, averagePerMeeting: 0 },
    online: { meetings: 0, attendees: 0, guests: 0, averagePerMeeting: 0 },
  };
  const participants = new Set<string>();
  const byMode: Record<string, number> = {};
  for (const m of meetings) {
    byMode[m.mode] = (byMode[m.mode] ?? 0) + 1;
    const bucket = attendance[m.mode];
    bucket.meetings += 1;
    bucket.attendees += m.attendeeMemberIds.length;
    bucket.guests += m.guestCount ?? 0;
    for (const id of m.attendeeMemberIds) participants.add(id);
  }
  for (const bucket of Object.values(attendance)) {
    bucket.averagePerMeeting = bucket.meetings ? Math.round(((bucket.attendees + bucket.guests) / bucket.meetings) * 10) / 10 : 0;
  }

  const groupsWithRecs = new Set(submitted.map((r) => r.groupId));
  const decisions: Record<string, Record<string, number>> = {};
  const ratified: Record<string, number> = {};
  for (const c of consolidated) {
    for (const d of c.decisions ?? []) {
      decisions[d.country] ??= {};
      decisions[d.country][d.outcome] = (decisions[d.country][d.outcome] ?? 0) + 1;
    }
    for (const a of c.assembly ?? []) if (a.ratified) ratified[a.country] = (ratified[a.country] ?? 0) + 1;
  }

  return {
    cycleId,
    groups: {
      total: groups.length,
      byStatus,
      list: groups.map((g) => {
        const theme = themeById.get(g.themeId);
        const office = g.officeId ? officeById.get(g.officeId) : undefined;
        return {
          groupId: g._id,
          kind: g.kind,
          ...(g.officeId ? { officeId: g.officeId } : {}),
          ...(office ? { office: office.city } : {}),
          themeId: g.themeId,
          ...(theme ? { theme: theme.code, country: theme.country } : {}),
          status: g.status,
          members: membersByGroup.get(g._id) ?? 0,
          meetings: meetingsByGroup.get(g._id) ?? 0,
        };
      }),
    },
    meetings: {
      total: meetings.length,
      byMode,
      joint: meetings.filter((m) => m.jointWithGroupIds.length > 0).length,
      attendance,
      distinctParticipants: participants.size,
    },
    recommendations: {
      submitted: submitted.length,
      groupsWithoutRecommendations: groups.filter(
        (g) => !groupsWithRecs.has(g._id) && !['fallen_back', 'cancelled'].includes(g.status),
      ).length,
      consolidated: consolidated.filter((c) => !c.withdrawn).length,
      withdrawn: consolidated.filter((c) => c.withdrawn).length,
      decisions,
      ratified,
    },
    localInitiatives: projects.filter((p) => p.kind === 'local_initiative').length,
    projects: projects.filter((p) => p.kind === 'strategic_plan').length,
  };
}
