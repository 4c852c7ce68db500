/**
 * What workflows ask of the mail activities (types only; workflows import this with `import type`).
 * Every mail passes the outbox keyed by (workflowId, purpose, recipient, version): the same request
 * retried after a crash sends nothing twice. A link, when asked for, is issued per recipient and
 * bound to (action, workflow, subject, version) and expires at `expiresAt`.
 */
import type { Language } from '../../domain/types';

export type MailTemplate =
  | 'group_invitation' // member asked to confirm joining a group (link: confirm_membership)
  | 'moderator_invitation' // moderator asked to accept the role (link: accept_moderator)
  | 'framing_brief' // the theme's framing brief, sent when the group starts
  | 'group_fallen_back' // your group was too small: you are in the theme's online group
  | 'group_cancelled'
  | 'submission_reminder' // to moderators of groups that have not submitted
  | 'approval_request' // moderator approves or asks a change (links: approve_consolidation, request_change)
  | 'approval_reminder'
  | 'public_review_invitation' // every member: the document, the videoconferences (ICS), reaction link
  | 'videoconference_update' // ICS with a raised SEQUENCE, or a cancellation
  | 'board_reminder' // to the board secretary's address
  | 'staff_alert' // to the staff address: late board, escalated approval, SMTP failure, ...
  | 'progress_request' // project owner reports progress (link: report_progress)
  | 'assembly_outcome';

export type LinkAction =
  | 'confirm_membership'
  | 'accept_moderator'
  | 'approve_consolidation'
  | 'request_change'
  | 'rsvp'
  | 'react'
  | 'report_progress'
  | 'unsubscribe' // added by the mail activity itself to notification mail (List-Unsubscribe)
  | 'erase_data'; // offered next to unsubscribe: the member erases their personal data

export interface LinkSpec {
  actions: LinkAction[];
  /** The workflow the action is delivered to (or whose phase gates a MongoDB write). */
  workflowId: string;
  /** The thing acted on: group id, consolidation version, videoconference id, project id. */
  subjectId: string;
  /** The content version the recipient saw; a link for an older version fails. */
  version: string;
  expiresAt: string;
}

export type Recipient =
  | { memberId: string }
  /** Role mailboxes (staff, board secretary): not members, so no personal data in histories. */
  | { role: 'staff' | 'board_secretary'; country?: string; language?: Language };

export type Audience =
  | { kind: 'members'; memberIds: string[] }
  | { kind: 'cycle_members'; cycleId: string; countries?: string[] }
  /** `unconfirmedOnly`: reminders go only to those who have not confirmed yet. */
  | { kind: 'group_members'; groupId: string; unconfirmedOnly?: boolean }
  | { kind: 'group_moderators'; cycleId: string; groupIds: string[] };

export interface SendMailInput {
  workflowId: string;
  purpose: string; // e.g. "approval_request", "submission_reminder:14d"
  version: string;
  template: MailTemplate;
  recipient: Recipient;
  /** Ids and enum words only; the activity reads names and texts from MongoDB. */
  data: Record<string, string | number | boolean | string[]>;
  link?: LinkSpec;
}

export interface SendMailResult {
  outboxId: string;
  /**
   * `failed`: the SMTP server refused the mail for good (5xx), or an earlier attempt died during
   * the SMTP transaction (`error: 'outcome_unknown'`, not resent: at most one mail). Alert staff.
   * SMTP 4xx and unreachable servers are retried: the activity throws a retryable failure.
   */
  state: 'sent' | 'already_sent' | 'skipped' | 'failed';
  error?: string;
}

export interface SendBulkMailInput extends Omit<SendMailInput, 'recipient'> {
  audience: Audience;
}

export interface SendBulkMailResult {
  recipients: number;
  sent: number;
  alreadySent: number;
  skipped: number; // erased or unsubscribed members
  failed: number; // permanent SMTP rejections (5xx) and unknown outcomes: reported to staff
}
