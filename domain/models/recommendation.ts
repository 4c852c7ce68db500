import { Schema } from 'mongoose';
import type {
  BoardDecision, CountryCode, LineageRelation, PostponeTarget, ReactionStance,
} from '../types';

/** A recommendation as a group submitted it: the original wording, kept forever for lineage. */
export interface RecommendationDoc {
  _id: string; // `<groupId>:v<submissionVersion>:<n>`
  cycleId: string;
  groupId: string;
  submissionVersion: number;
  position: number;
  title: string;
  text: string;
  context: string;
  /** Superseded by a later submission of the same group before the deadline. */
  superseded: boolean;
  submittedAt: Date;
}
export const recommendationSchema = new Schema<RecommendationDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    groupId: { type: String, required: true },
    submissionVersion: { type: Number, required: true },
    position: { type: Number, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
    context: { type: String, required: true },
    superseded: { type: Boolean, default: false },
    submittedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
recommendationSchema.index({ cycleId: 1, groupId: 1 });

export interface LineageLink {
  recommendationId: string;
  groupId: string;
  relation: LineageRelation;
}

/** What a board decided, stored on the consolidated recommendation under its country. */
export interface StoredDecision extends Omit<BoardDecision, 'recommendationId'> {
  country: CountryCode;
  decidedAt: Date;
  revision: number;
}

export interface AssemblyOutcome {
  country: CountryCode;
  ratified: boolean;
  votes?: { for: number; against: number; abstain: number };
  recordedAt: Date;
}

/**
 * One recommendation of the consolidated document. Every one keeps its lineage to the originals
 * (merge, split, reword), and carries per-country decisions and assembly outcomes.
 */
export interface ConsolidatedDoc {
  _id: string; // `<cycleId>:c<number>`
  cycleId: string;
  number: number;
  title: string;
  text: string;
  context: string;
  /** Countries whose board must decide it (a shared recommendation has two). */
  countries: CountryCode[];
  lineage: LineageLink[];
  /** Groups whose moderators approve this wording (derived from lineage). */
  groupIds: string[];
  /** Raised at every edit; links for an older wording stop working. */
  revision: number;
  withdrawn: boolean;
  /** Why it left the document: merged into or split into `supersededBy`, or withdrawn by staff. */
  withdrawnReason?: string;
  supersededBy?: string[];
  /** The staff operation (idempotency key) that created it: a retried operation finds it. */
  createdByOp?: string;
  /** The consolidation version that last froze this wording for the moderators' approval. */
  frozenVersion?: number;
  /**
   * Raised by every write of `decisions`, `assembly` and `finalStatus` (compare-and-set): FerretDB
   * 1.x matches neither `$pull` conditions nor dotted paths into arrays, so those arrays are
   * rewritten whole, guarded by this counter.
   */
  docVersion?: number;
  decisions: StoredDecision[];
  assembly: AssemblyOutcome[];
  /** Per country: accepted | reformulated | postponed | refused | no_decision, then ratified/rejected. */
  finalStatus: { country: CountryCode; status: string; projectId?: string }[];
  postponeTo?: PostponeTarget;
  updatedBy: string;
}
export const consolidatedSchema = new Schema<ConsolidatedDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    number: { type: Number, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
    context: { type: String, default: '' },
    countries: { type: [String], required: true },
    lineage: [{ _id: false, recommendationId: String, groupId: String, relation: String }],
    groupIds: { type: [String], default: [] },
    revision: { type: Number, default: 1 },
    withdrawn: { type: Boolean, default: false },
    withdrawnReason: String,
    supersededBy: { type: [String], default: undefined },
    createdByOp: String,
    frozenVersion: Number,
    docVersion: { type: Number, default: 0 },
    decisions: [
      {
        _id: false,
        country: String,
        outcome: String,
        motivation: { criteria: [String], text: String },
        newWording: { title: String, text: String },
        postponeTo: { kind: { type: String }, date: String },
        decidedBy: String,
        decidedAt: Date,
        revision: Number,
      },
    ],
    assembly: [
      {
        _id: false,
        country: String,
        ratified: Boolean,
        votes: { for: Number, against: Number, abstain: Number },
        recordedAt: Date,
      },
    ],
    finalStatus: [{ _id: false, country: String, status: String, projectId: String }],
    updatedBy: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);
consolidatedSchema.index({ cycleId: 1, number: 1 }, { unique: true });
/** A group's consolidated recommendations (approval requests and pages), not the cycle's 5,000. */
consolidatedSchema.index({ groupIds: 1 });
/** A country's board and assembly scope: its recommendations, not the cycle's whole document. */
consolidatedSchema.index({ countries: 1 });

/** A member's reaction during public review: high volume, so MongoDB only (never the workflow). */
export interface ReactionDoc {
  _id: string; // `<consolidatedId>:<memberId>`: one reaction per member and recommendation
  cycleId: string;
  recommendationId: string;
  memberId: string;
  stance: ReactionStance;
  comment?: string;
  at: Date;
}
export const reactionSchema = new Schema<ReactionDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    recommendationId: { type: String, required: true },
    memberId: { type: String, required: true },
    stance: { type: String, required: true },
    comment: String,
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
reactionSchema.index({ cycleId: 1, recommendationId: 1 });
