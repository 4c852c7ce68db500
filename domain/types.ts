/**
 * The words of the domain (shared/DOMAIN.md), as types and constants shared by api, activities and
 * workflows. Types and plain constants only: workflow code imports this file.
 */

/** The phases of one edition, in order. The cycle workflow owns which one is current. */
export const PHASES = [
  'preparation',
  'group_formation',
  'deliberation',
  'consolidation',
  'public_review',
  'board_decisions',
  'general_assembly',
  'follow_up',
] as const;
export type Phase = (typeof PHASES)[number];

export type CycleStatus = 'draft' | 'running' | 'completed' | 'cancelled';

export const LANGUAGES = ['nl', 'fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** ISO 3166-1 alpha-2, upper case. Countries are data: BE and FR today, others tomorrow. */
export type CountryCode = string;

/** A text in the languages of the countries concerned (nl, fr; en for the software's own docs). */
export type LocalizedText = Partial<Record<Language, string>>;

/**
 * Absolute deadlines of a cycle, as ISO-8601 instants. The API turns a local date and the country's
 * time zone into an instant; workflows turn instants into timers from workflow time.
 */
export const CYCLE_DEADLINES = [
  'formationOpensAt',
  'formationDeadline',
  'submissionDeadline',
  'approvalDeadline',
  'publicReviewOpensAt',
  'publicReviewClosesAt',
] as const;
export type CycleDeadlineName = (typeof CYCLE_DEADLINES)[number];
export type CycleDeadlines = Record<CycleDeadlineName, string>;

/** The last phase during which a deadline may still move (after it, the deadline has done its work). */
export const DEADLINE_PHASE: Record<CycleDeadlineName, Phase> = {
  formationOpensAt: 'preparation',
  formationDeadline: 'group_formation',
  submissionDeadline: 'deliberation',
  approvalDeadline: 'consolidation',
  publicReviewOpensAt: 'consolidation',
  publicReviewClosesAt: 'public_review',
};

/** Per-country dates: each board decides by its deadline, each assembly meets on its date. */
export interface CountrySchedule {
  country: CountryCode;
  timeZone: string; // IANA, e.g. Europe/Brussels
  languages: Language[];
  boardDeadline: string;
  assemblyDate: string;
}

export type UndersizedGroupPolicy = 'online_fallback' | 'cancel';
export type ApprovalSilencePolicy = 'tacit_approval' | 'escalate';

export interface CyclePolicies {
  minGroupSize: number;
  undersizedGroup: UndersizedGroupPolicy;
  silenceAtApprovalDeadline: ApprovalSilencePolicy;
  /** Days before a deadline when reminders go to those who have not answered, e.g. [14, 3]. */
  reminderOffsetsDays: number[];
  /** Days between two progress requests to a project's owner. */
  progressRequestEveryDays: number;
}

export type GroupKind = 'office' | 'online';
/** Where a group stands; every end is explicit (no silent fall-through). */
export type GroupStatus =
  | 'forming'
  | 'active'
  | 'fallen_back' // too small at the formation deadline: members moved to the theme's online group
  | 'cancelled'
  | 'submitted'
  | 'no_recommendations' // nothing submitted by the submission deadline
  | 'closed';

export type ApprovalStatus =
  | 'not_requested'
  | 'pending'
  | 'approved'
  | 'change_requested'
  | 'tacitly_approved'
  | 'escalated';

export type MeetingMode = 'in_person' | 'online';

/** How a consolidated recommendation relates to an original one. */
export type LineageRelation = 'verbatim' | 'reworded' | 'merged' | 'split';

export const BOARD_OUTCOMES = ['accept', 'reformulate', 'postpone', 'refuse'] as const;
export type BoardOutcome = (typeof BOARD_OUTCOMES)[number];

/** The four criteria a board judges on (seed: social purpose, means, priorities, ongoing projects). */
export const DECISION_CRITERIA = [
  'social_purpose',
  'means_of_implementation',
  'priorities',
  'ongoing_projects',
] as const;
export type DecisionCriterion = (typeof DECISION_CRITERIA)[number];

export type PostponeTarget = { kind: 'next_cycle' } | { kind: 'date'; date: string };

/** What a board decided on one recommendation for its country. Ids only: no names. */
export interface BoardDecision {
  recommendationId: string;
  outcome: BoardOutcome;
  motivation: { criteria: DecisionCriterion[]; text: string };
  newWording?: { title: string; text: string };
  postponeTo?: PostponeTarget;
  decidedBy: string; // actor id (API key id), never a name
}

/** `waiting`: started with the public review, decisions not accepted until the review closes. */
export type BoardStatus = 'waiting' | 'deciding' | 'late' | 'completed' | 'closed_with_undecided';
export type AssemblyStatus = 'waiting_for_date' | 'awaiting_result' | 'ratified';
export type AssemblyVote = { for: number; against: number; abstain: number };

export type ProjectKind = 'strategic_plan' | 'local_initiative';
export type ProjectStatus = 'active' | 'done' | 'abandoned';

/** Who did something, for the audit trail: a key id or a member id, never a name. */
export interface Actor {
  kind: 'staff' | 'board_secretary' | 'operator' | 'member' | 'system';
  id: string;
}

export type ReactionStance = 'support' | 'oppose' | 'neutral';
