/**
 * A small world for mail and link tests: one cycle, one office group with its moderator and
 * members, a consolidated document, videoconferences. Ids and addresses are unique per call, so
 * test files (and tests) never see each other's data or mails.
 */
import { randomBytes } from 'node:crypto';
import type { MemberDoc, Models } from '../../domain/models';
import type { Language, Phase } from '../../domain/types';
import { uniqueAddress } from '../support/mailpit';

export interface World {
  cycleId: string;
  groupId: string;
  themeId: string;
  officeId: string;
  moderator: MemberDoc;
  members: MemberDoc[];
  recommendationIds: string[];
  videoconferenceIds: string[];
  suffix: string;
}

export interface WorldOptions {
  members?: number;
  languages?: Language[];
  phase?: Phase;
  consolidationVersion?: number;
  /** Overrides for hostile content tests. */
  memberName?: (i: number) => string;
  themeTitle?: { nl: string; fr: string; en: string };
  officeCity?: string;
}

export const rand = () => randomBytes(4).toString('hex');

export async function seedWorld(models: Models, options: WorldOptions = {}): Promise<World> {
  const s = rand();
  const cycleId = `c${s}`;
  const officeId = `o${s}`;
  const themeId = `t${s}`;
  const groupId = `g${s}`;
  const languages = options.languages ?? ['nl', 'fr', 'en'];
  const deadlines = {
    formationOpensAt: '2025-09-01T00:00:00.000Z',
    formationDeadline: '2025-10-15T00:00:00.000Z',
    submissionDeadline: '2026-03-01T00:00:00.000Z',
    approvalDeadline: '2026-04-01T08:00:00.000Z',
    publicReviewOpensAt: '2026-04-15T00:00:00.000Z',
    publicReviewClosesAt: '2026-05-15T00:00:00.000Z',
  };
  await models.Cycle.create({
    _id: cycleId,
    label: `2025-2026 ${s}`,
    countries: [{ country: 'BE', timeZone: 'Europe/Brussels', languages: ['nl', 'fr'], boardDeadline: '2026-06-01T00:00:00.000Z', assemblyDate: '2026-06-20T00:00:00.000Z' }],
    deadlines,
    policies: { minGroupSize: 3, undersizedGroup: 'online_fallback', silenceAtApprovalDeadline: 'tacit_approval', reminderOffsetsDays: [14, 3], progressRequestEveryDays: 90 },
    status: 'running',
    projection: { phase: options.phase ?? 'consolidation', deadlines, consolidationVersion: options.consolidationVersion ?? 2, seq: 1 },
    createdBy: 'test',
  });
  await models.Office.create({ _id: officeId, city: options.officeCity ?? `Brussels ${s}`, country: 'BE' });
  await models.Theme.create({
    _id: themeId,
    cycleId,
    country: 'BE',
    code: `gender-${s}`,
    title: options.themeTitle ?? { nl: 'Gendergelijkheid', fr: 'Égalité de genre', en: 'Gender equality' },
    brief: { ongoingProjects: ['Equal pay audit'], legalConstraints: ['Labour law'], financialConstraints: ['Budget 2026'] },
  });
  const count = options.members ?? 3;
  const members: MemberDoc[] = [];
  for (let i = 0; i < count + 1; i++) {
    const email = uniqueAddress(`m${i}`);
    const doc = await models.Member.create({
      _id: `m${s}${String(i).padStart(4, '0')}`,
      name: options.memberName ? options.memberName(i) : `Member ${i} ${s}`,
      email,
      emailKey: email.toLowerCase(),
      language: languages[i % languages.length],
      country: 'BE',
      officeId,
    });
    members.push(doc.toObject());
  }
  const moderator = members.shift()!;
  await models.Group.create({
    _id: groupId, cycleId, themeId, kind: 'office', officeId, moderatorMemberId: moderator._id, status: 'submitted',
    approval: { status: 'pending', version: options.consolidationVersion ?? 2 },
  });
  await models.Membership.insertMany([
    { _id: `${groupId}:${moderator._id}`, cycleId, groupId, memberId: moderator._id, role: 'moderator', confirmedAt: new Date() },
    ...members.map((m, i) => ({ _id: `${groupId}:${m._id}`, cycleId, groupId, memberId: m._id, role: 'member', ...(i === 0 ? { confirmedAt: new Date() } : {}) })),
  ]);
  const recommendationIds = [1, 2, 3].map((n) => `${cycleId}:c${n}`);
  await models.Consolidated.insertMany(
    recommendationIds.map((_id, i) => ({
      _id, cycleId, number: i + 1, title: `Recommendation ${i + 1} ${s}`, text: `Text of recommendation ${i + 1}.`, context: 'ctx',
      countries: ['BE'], lineage: [], groupIds: i < 2 ? [groupId] : [`other-${s}`], revision: 1, withdrawn: false, decisions: [], assembly: [], finalStatus: [],
      updatedBy: 'test',
    })),
  );
  const videoconferenceIds = [`vc1${s}`, `vc2${s}`];
  await models.Videoconference.insertMany(
    videoconferenceIds.map((_id, i) => ({
      _id, cycleId, uid: `${_id}@smart-in-progress`, sequence: 0, title: { nl: `Debat ${i + 1}`, fr: `Débat ${i + 1}`, en: `Debate ${i + 1}` },
      startsAt: new Date(Date.UTC(2026, 3, 20 + i, 17, 0)), durationMinutes: 90, joinUrl: `https://meet.example/${_id}`, cancelled: false,
    })),
  );
  return { cycleId, groupId, themeId, officeId, moderator, members, recommendationIds, videoconferenceIds, suffix: s };
}

/** A pino-like logger that keeps what it is told, for assertions (and never prints). */
export function memoryLogger() {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const log = (level: string) => (obj: unknown, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };
}
