import { Schema } from 'mongoose';
import type { CountryCode, ProjectKind, ProjectStatus } from '../types';

/**
 * What came out of a cycle and is followed up: a strategic-plan project (a ratified
 * recommendation) or a local initiative a group started on its own. Outlives the cycle.
 */
export interface ProjectDoc {
  _id: string;
  kind: ProjectKind;
  cycleId: string;
  country: CountryCode;
  /** The consolidated recommendation it implements (strategic plan only). */
  recommendationId?: string;
  groupId?: string; // local initiative only
  officeId?: string;
  title: string;
  description: string;
  ownerMemberId?: string;
  status: ProjectStatus;
  progress: { at: Date; percent: number; note: string; reportedBy: string; reportId: string }[];
}
export const projectSchema = new Schema<ProjectDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    cycleId: { type: String, required: true },
    country: { type: String, required: true },
    recommendationId: String,
    groupId: String,
    officeId: String,
    title: { type: String, required: true },
    description: { type: String, default: '' },
    ownerMemberId: String,
    status: { type: String, required: true, default: 'active' },
    progress: [
      { _id: false, at: Date, percent: Number, note: String, reportedBy: String, reportId: String },
    ],
  },
  { versionKey: false, timestamps: true },
);
projectSchema.index({ cycleId: 1, kind: 1 });
