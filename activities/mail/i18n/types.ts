/**
 * One message catalog per language, for mails and pages alike. Why one typed object per
 * language rather than a template file per mail and language: the HTML and text layouts exist
 * once (activities/mail/render.ts, api/pages/layout.ts), so a fix to the markup or the escaping is
 * made once; the compiler refuses a catalog with a missing or extra key, so no language can lag
 * behind silently; and a translator edits plain sentences in one file. Sentences are Handlebars
 * templates ({{groupTitle}}): HTML-escaped in HTML, verbatim in the text part.
 */
import type { MailTemplate } from '../contract';

export interface MailTexts {
  subject: string;
  paragraphs: string[];
  /** Label of the mail's link button, when it carries one. */
  action?: string;
}

/** Mail texts: one per template, plus the cancellation variant of a videoconference update. */
export type MailCatalog = Record<MailTemplate | 'videoconference_cancelled', MailTexts>;

export interface PageTexts {
  heading: string;
  text: string;
  button: string;
}

export interface Catalog {
  /** For Intl date formatting. */
  locale: string;
  common: {
    greeting: string;
    greetingRole: string;
    /** ':' or, in French typography, ' :'. */
    colon: string;
    signature: string;
    /** Under a link: personal, acts in the member's name, valid until. */
    linkNote: string;
    /** Footer of notification mail. */
    unsubscribeFooter: string;
    erasedMember: string;
    onlineGroup: string;
    groupTitle: string;
    minutes: string;
    joinLink: string;
    sections: {
      recommendations: string;
      videoconferences: string;
      ongoingProjects: string;
      legalConstraints: string;
      financialConstraints: string;
      notes: string;
      details: string;
    };
    alerts: Record<'smtp_failures' | 'approval_escalated' | 'board_late' | 'public_review_blocked' | 'other', string>;
  };
  mail: MailCatalog;
  page: {
    siteName: string;
    asWhom: string;
    validUntil: string;
    confirm: {
      membership: PageTexts;
      moderator: PageTexts;
      approval: PageTexts & { changeHeading: string; commentLabel: string; changeButton: string; noItems: string };
      progress: PageTexts & { percentLabel: string; noteLabel: string; doneLabel: string };
      review: { heading: string; text: string; recommendations: string; videoconferences: string; open: string };
      react: PageTexts & { stanceLabel: string; commentLabel: string };
      rsvp: PageTexts & { answerLabel: string };
      unsubscribe: PageTexts;
      erase: PageTexts & { confirmLabel: string };
    };
    stance: { support: string; oppose: string; neutral: string };
    rsvp: { yes: string; no: string; maybe: string };
    result: {
      recorded: { heading: string; text: string };
      already: { heading: string; text: string };
      pending: { heading: string; text: string };
      formError: string;
      unsubscribed: { heading: string; text: string };
      erased: { heading: string; text: string };
      /** Workflow and MongoDB refusals, by failure type. */
      rejected: Record<'WrongPhase' | 'Conflict' | 'InvalidDecision' | 'UnknownSubject' | 'NotAllowed' | 'closed' | 'Changed' | 'other', { heading: string; text: string }>;
    };
    /** What each action did, for "recorded" and "already recorded" pages. */
    actionDone: Record<'confirm_membership' | 'accept_moderator' | 'approve_consolidation' | 'request_change' | 'report_progress' | 'react' | 'rsvp' | 'unsubscribe' | 'erase_data', string>;
    /** The neutral answer to any link we cannot use (unknown, used, expired): shown in all languages. */
    invalid: { heading: string; text: string };
    rateLimited: { heading: string; text: string };
    unavailable: { heading: string; text: string };
  };
}
