import { Schema } from 'mongoose';
import type { ApprovalStatus, GroupKind, GroupStatus, MeetingMode } from '../types';

/** A working group: one office on one theme, or a theme's online cross-border group. */
export interface GroupDoc {
  _id: string;
  cycleId: string;
  themeId: string;
  kind: GroupKind;
  officeId?: string; // office groups only
  moderatorMemberId?: string;
  moderatorAcceptedAt?: Date;
  status: GroupStatus;
  /** Why the group ended as it did (fallback, cancellation, nothing submitted). */
  statusReason?: string;
  /** The online group that took this group's members when it fell back. */
  fallbackGroupId?: string;
  submittedAt?: Date;
  submissionVersion: number;
  /** What the formation deadline found (written once by the cycle's evaluation). */
  formation?: { confirmed: number; minimum: number; verdict: 'keep' | 'fallen_back' | 'cancelled'; evaluatedAt: Date; auditId: string };
  approval: {
    status: ApprovalStatus;
    /** Consolidation version the moderator is asked to approve. */
    version?: number;
    comment?: string;
    decidedAt?: Date;
    /** How staff settled an escalated or change-requested approval. */
    resolution?: 'approved' | 'change_applied';
  };
}
export const groupSchema = new Schema<GroupDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    themeId: { type: String, required: true },
    kind: { type: String, required: true },
    officeId: String,
    moderatorMemberId: String,
    moderatorAcceptedAt: Date,
    status: { type: String, required: true, default: 'forming' },
    statusReason: String,
    fallbackGroupId: String,
    submittedAt: Date,
    submissionVersion: { type: Number, default: 0 },
    formation: { confirmed: Number, minimum: Number, verdict: String, evaluatedAt: Date, auditId: String },
    approval: {
      status: { type: String, default: 'not_requested' },
      version: Number,
      comment: String,
      decidedAt: Date,
      resolution: String,
    },
  },
  { versionKey: false },
);
groupSchema.index({ cycleId: 1, status: 1 });

/** A member in a group. `_id` is `<groupId>:<memberId>`, so joining twice is one document. */
export interface MembershipDoc {
  _id: string;
  cycleId: string;
  groupId: string;
  memberId: string;
  role: 'member' | 'moderator';
  confirmedAt?: Date;
  /** Set when the member came from a group that fell back. */
  movedFromGroupId?: string;
}
export const membershipSchema = new Schema<MembershipDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    groupId: { type: String, required: true },
    memberId: { type: String, required: true },
    role: { type: String, required: true, default: 'member' },
    confirmedAt: Date,
    movedFromGroupId: String,
  },
  { versionKey: false },
);
membershipSchema.index({ groupId: 1 });
membershipSchema.index({ cycleId: 1, memberId: 1 });

/** One meeting of a group, with who attended and how (attendance drops online, so record it). */
export interface MeetingDoc {
  _id: string;
  cycleId: string;
  groupId: string;
  startsAt: Date;
  mode: MeetingMode;
  /** Groups on the same theme meeting together (Nantes and Lyon). */
  jointWithGroupIds: string[];
  /** The office hosting the meeting when it is not the group's own (specific meetings elsewhere). */
  officeId?: string;
  attendeeMemberIds: string[];
  /** People present who are not registered members (counted, not named). */
  guestCount: number;
  notes?: string;
  recordedBy: string;
}
export const meetingSchema = new Schema<MeetingDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    groupId: { type: String, required: true },
    startsAt: { type: Date, required: true },
    mode: { type: String, required: true },
    jointWithGroupIds: { type: [String], default: [] },
    officeId: String,
    attendeeMemberIds: { type: [String], default: [] },
    guestCount: { type: Number, default: 0 },
    notes: String,
    recordedBy: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);
meetingSchema.index({ cycleId: 1, groupId: 1 });
