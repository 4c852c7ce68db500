import { Schema } from 'mongoose';
import type { AssemblyVote, CountryCode, LocalizedText } from '../types';

/** One videoconference of the public review series. `uid` and `sequence` drive the ICS invites. */
export interface VideoconferenceDoc {
  _id: string;
  cycleId: string;
  uid: string; // stable iCalendar UID
  sequence: number; // raised at every change; a cancellation is sent with the next one
  title: LocalizedText;
  startsAt: Date;
  durationMinutes: number;
  joinUrl: string;
  cancelled: boolean;
}
export const videoconferenceSchema = new Schema<VideoconferenceDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    uid: { type: String, required: true },
    sequence: { type: Number, default: 0 },
    title: { nl: String, fr: String, en: String },
    startsAt: { type: Date, required: true },
    durationMinutes: { type: Number, required: true },
    joinUrl: { type: String, required: true },
    cancelled: { type: Boolean, default: false },
  },
  { versionKey: false, timestamps: true },
);
videoconferenceSchema.index({ cycleId: 1 });

/** A member's answer to a videoconference invite. `_id` is `<videoconferenceId>:<memberId>`. */
export interface RsvpDoc {
  _id: string;
  cycleId: string;
  videoconferenceId: string;
  memberId: string;
  answer: 'yes' | 'no' | 'maybe';
  at: Date;
}
export const rsvpSchema = new Schema<RsvpDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    videoconferenceId: { type: String, required: true },
    memberId: { type: String, required: true },
    answer: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
rsvpSchema.index({ videoconferenceId: 1 });

/** A general assembly's result for one country. `_id` is `<cycleId>:<country>`. */
export interface AssemblyDoc {
  _id: string;
  cycleId: string;
  country: CountryCode;
  date: string;
  mode?: 'en_bloc' | 'per_recommendation';
  enBlocVote?: AssemblyVote;
  items?: { recommendationId: string; votes: AssemblyVote; ratified: boolean }[];
  nextThemes: { title: LocalizedText }[];
  recordedAt?: Date;
  recordedBy?: string;
}
export const assemblySchema = new Schema<AssemblyDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    country: { type: String, required: true },
    date: { type: String, required: true },
    mode: String,
    enBlocVote: { for: Number, against: Number, abstain: Number },
    items: [
      {
        _id: false,
        recommendationId: String,
        votes: { for: Number, against: Number, abstain: Number },
        ratified: Boolean,
      },
    ],
    nextThemes: [{ _id: false, title: { nl: String, fr: String, en: String } }],
    recordedAt: Date,
    recordedBy: String,
  },
  { versionKey: false },
);

/** A postponed or undecided recommendation carried into a later cycle. */
export interface BacklogDoc {
  _id: string; // `<fromCycleId>:<consolidatedId>:<country>`
  fromCycleId: string;
  recommendationId: string;
  country: CountryCode;
  reason: 'postponed' | 'no_decision' | 'not_ratified';
  postponedUntil?: string;
  takenIntoCycleId?: string;
}
export const backlogSchema = new Schema<BacklogDoc>(
  {
    _id: { type: String, required: true },
    fromCycleId: { type: String, required: true },
    recommendationId: { type: String, required: true },
    country: { type: String, required: true },
    reason: { type: String, required: true },
    postponedUntil: String,
    takenIntoCycleId: String,
  },
  { versionKey: false, timestamps: true },
);
backlogSchema.index({ fromCycleId: 1 });
