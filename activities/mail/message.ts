/**
 * One mail as nodemailer takes it: rendered in the recipient's language, its link and
 * List-Unsubscribe link (deterministic per outbox entry: a retry sends the same message), and
 * the videoconferences' calendars. Pure: the mail activities (index.ts) and bench/mail-cost.ts
 * build the same message with it.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { SendMailOptions } from 'nodemailer';
import type { Config } from '../../config';
import type { OutboxDoc } from '../../domain/models';
import type { Language } from '../../domain/types';
import { issueLinkUrl, LinkSpecError } from '../links/issue';
import type { MailTemplate, SendMailInput } from './contract';
import { catalogFor } from './i18n';
import { videoconferenceIcs } from './ics';
import { headerText, renderMail } from './render';
import { formatDate, type MailView } from './view';

/** Mail a member may stop with List-Unsubscribe; mail about their group or role still comes. */
export const NOTIFICATION_TEMPLATES: ReadonlySet<MailTemplate> = new Set([
  'public_review_invitation',
  'videoconference_update',
  'assembly_outcome',
]);

/** Unsubscribe links live long: a notification mail may be read months later. */
const UNSUBSCRIBE_LINK_DAYS = 400;

/** Who sends, and what links are sealed with. */
export interface Sender {
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'LINK_SECRET'>;
  from: { name: string; address: string };
}

/** The recipient: a member (links, greeting by name, calendar attendee) or a role mailbox. */
export interface MessageTarget {
  memberId?: string;
  address: string;
  name?: string;
  language: Language;
}

export type MessageRequest = Pick<SendMailInput, 'workflowId' | 'template' | 'link'>;
export type MessageEntry = Pick<OutboxDoc, '_id' | 'createdAt' | 'messageId'>;

function invalid(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'InvalidMailRequest');
}

export function buildMessage(sender: Sender, input: MessageRequest, entry: MessageEntry, target: MessageTarget, view: MailView): SendMailOptions {
  const catalog = catalogFor(target.language);
  let link: { url: string; expires: string } | undefined;
  let unsubscribeUrl: string | undefined;
  if (input.link) {
    if (!target.memberId) invalid('links are issued to members only, not to role mailboxes');
    try {
      link = {
        url: issueLinkUrl({
          secret: sender.config.LINK_SECRET,
          publicBaseUrl: sender.config.PUBLIC_BASE_URL,
          outboxId: entry._id,
          spec: input.link,
          memberId: target.memberId,
          language: target.language,
          name: target.name ?? '',
          issuedAt: new Date(entry.createdAt),
        }),
        expires: formatDate(input.link.expiresAt, catalog, 'Europe/Brussels'),
      };
    } catch (err) {
      if (err instanceof LinkSpecError) invalid(err.message);
      throw err;
    }
    if (!catalog.mail[view.textsKey].action) invalid(`template ${input.template} has no link button`);
  }
  if (target.memberId && NOTIFICATION_TEMPLATES.has(input.template)) {
    const issuedAt = new Date(entry.createdAt);
    unsubscribeUrl = issueLinkUrl({
      secret: sender.config.LINK_SECRET,
      publicBaseUrl: sender.config.PUBLIC_BASE_URL,
      outboxId: entry._id,
      spec: {
        actions: ['unsubscribe', 'erase_data'],
        workflowId: input.workflowId,
        subjectId: target.memberId,
        version: '1',
        expiresAt: new Date(issuedAt.getTime() + UNSUBSCRIBE_LINK_DAYS * 86_400_000).toISOString(),
      },
      memberId: target.memberId,
      language: target.language,
      name: target.name ?? '',
      issuedAt,
    });
  }
  const rendered = renderMail({ language: target.language, view, recipientName: target.memberId ? target.name : undefined, link, unsubscribeUrl });
  const message: SendMailOptions = {
    from: sender.from,
    to: target.name ? { name: headerText(target.name, 100), address: target.address } : target.address,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: entry.messageId,
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Smart-Outbox': entry._id.slice(0, 40),
      ...(unsubscribeUrl
        ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {}),
    },
  };
  if (view.videoconferences.length > 0) {
    const icsFor = (vc: MailView['videoconferences'][number]) =>
      videoconferenceIcs({
        videoconference: vc.doc,
        title: vc.title,
        organizer: { name: sender.from.name, email: sender.from.address },
        attendee: target.memberId ? { name: target.name ?? '', email: target.address } : undefined,
        stamp: new Date(entry.createdAt),
      });
    if (view.videoconferences.length === 1) {
      const ics = icsFor(view.videoconferences[0]);
      message.icalEvent = { method: ics.method, filename: 'invitation.ics', content: ics.content };
    } else {
      message.attachments = view.videoconferences.map((vc, i) => {
        const ics = icsFor(vc);
        return { filename: `videoconference-${i + 1}.ics`, content: ics.content, contentType: `text/calendar; charset=utf-8; method=${ics.method}` };
      });
    }
  }
  return message;
}
