import { Schema } from 'mongoose';
import type {
  CountrySchedule, CycleDeadlines, CyclePolicies, CycleStatus, Phase,
} from '../types';

/** One edition's configuration, plus the projection of its phase that the workflow keeps current. */
export interface CycleDoc {
  _id: string; // cycleId
  label: string; // e.g. "2019-2020"
  countries: CountrySchedule[];
  deadlines: CycleDeadlines;
  policies: CyclePolicies;
  status: CycleStatus;
  /** Cycle whose backlog (postponed recommendations) and chosen themes seed this one. */
  previousCycleId?: string;
  /** Written only by the cycle workflow's activities: readers check it before accepting input. */
  projection: {
    phase: Phase;
    phaseEnteredAt?: Date;
    deadlines: CycleDeadlines; // current, after extensions
    consolidationVersion: number;
    publishedAt?: Date;
    updatedAt?: Date;
    /** Workflow time of the newest projection written; older writes are ignored. */
    seq: number;
    /** Per country: current board deadline and assembly date (after extensions) and where they stand. */
    countries?: { country: string; boardDeadline: string; assemblyDate: string; board: string; assembly: string }[];
    /** Set while staff attention blocks the next phase (e.g. `approvals_escalated`). */
    blockedOn?: string;
  };
  /** Snapshot written by the cycle workflow when it completes (counts only). */
  participationReport?: Record<string, unknown>;
  completedAt?: Date;
  cancelledReason?: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const countrySchedule = new Schema<CountrySchedule>(
  {
    country: { type: String, required: true },
    timeZone: { type: String, required: true },
    languages: { type: [String], required: true },
    boardDeadline: { type: String, required: true },
    assemblyDate: { type: String, required: true },
  },
  { _id: false },
);

const deadlines = {
  formationOpensAt: String,
  formationDeadline: String,
  submissionDeadline: String,
  approvalDeadline: String,
  publicReviewOpensAt: String,
  publicReviewClosesAt: String,
};

export const cycleSchema = new Schema<CycleDoc>(
  {
    _id: { type: String, required: true },
    label: { type: String, required: true },
    countries: { type: [countrySchedule], required: true },
    deadlines: { type: deadlines, required: true },
    policies: {
      minGroupSize: { type: Number, required: true },
      undersizedGroup: { type: String, required: true },
      silenceAtApprovalDeadline: { type: String, required: true },
      reminderOffsetsDays: { type: [Number], required: true },
      progressRequestEveryDays: { type: Number, required: true },
    },
    status: { type: String, required: true, default: 'draft' },
    previousCycleId: String,
    projection: {
      phase: { type: String, required: true, default: 'preparation' },
      phaseEnteredAt: Date,
      deadlines,
      consolidationVersion: { type: Number, default: 0 },
      publishedAt: Date,
      updatedAt: Date,
      seq: { type: Number, default: 0 },
      countries: [
        { _id: false, country: String, boardDeadline: String, assemblyDate: String, board: String, assembly: String },
      ],
      blockedOn: String,
    },
    participationReport: Schema.Types.Mixed,
    completedAt: Date,
    cancelledReason: String,
    createdBy: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);
cycleSchema.index({ label: 1 }, { unique: true });
