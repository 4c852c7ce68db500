import { Schema } from 'mongoose';
import type { CountryCode, Language, LocalizedText } from '../types';

/** A local office (Brussels, Lille, ...). Offices are shared by all cycles. */
export interface OfficeDoc {
  _id: string;
  city: string;
  country: CountryCode;
}
export const officeSchema = new Schema<OfficeDoc>(
  {
    _id: { type: String, required: true },
    city: { type: String, required: true },
    country: { type: String, required: true },
  },
  { versionKey: false },
);
officeSchema.index({ country: 1, city: 1 }, { unique: true });

/**
 * A member (sociétaire / vennoot). The only collection with personal data besides the outbox's
 * rendered mails; erasing a member blanks it here and workflows keep replaying on ids.
 */
export interface MemberDoc {
  _id: string;
  name: string;
  email: string;
  /** Lower-cased email, or `erased:<id>` after erasure: the unique key. */
  emailKey: string;
  language: Language;
  country: CountryCode;
  officeId?: string;
  erasedAt?: Date;
  unsubscribedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}
export const memberSchema = new Schema<MemberDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String, required: true },
    emailKey: { type: String, required: true },
    language: { type: String, required: true },
    country: { type: String, required: true },
    officeId: String,
    erasedAt: Date,
    unsubscribedAt: Date,
  },
  { timestamps: true, versionKey: false },
);
memberSchema.index({ emailKey: 1 }, { unique: true });
memberSchema.index({ officeId: 1 });
/** A country's members (mailings to a country: its members without a known office). */
memberSchema.index({ country: 1 });

/** A theme of one country's edition, with the framing brief the seed says groups lacked. */
export interface ThemeDoc {
  _id: string;
  cycleId: string;
  country: CountryCode;
  code: string;
  title: LocalizedText;
  brief: {
    ongoingProjects: string[];
    legalConstraints: string[];
    financialConstraints: string[];
    notes?: string;
  };
  /** The theme's online cross-border group, created when a group first falls back to it. */
  onlineGroupId?: string;
}
export const themeSchema = new Schema<ThemeDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    country: { type: String, required: true },
    code: { type: String, required: true },
    title: { nl: String, fr: String, en: String },
    brief: {
      ongoingProjects: { type: [String], default: [] },
      legalConstraints: { type: [String], default: [] },
      financialConstraints: { type: [String], default: [] },
      notes: String,
    },
    onlineGroupId: String,
  },
  { versionKey: false },
);
themeSchema.index({ cycleId: 1, country: 1, code: 1 }, { unique: true });
