/**
 * The mail a test produced, read back from Mailpit and joined with the outbox (by Message-ID) to
 * know each message's template: "which mails went to whom" without parsing localized subjects.
 */
import type { Models } from '../../../domain/models';
import type { MailpitClient, MessageSummary } from '../../support/mailpit';

export interface SentMail {
  template: string;
  purpose: string;
  workflowId: string;
  to: string;
  subject: string;
  attachments: number;
  mailpitId: string;
}

const bare = (id: string) => id.replace(/^<|>$/g, '');

/** Every Mailpit message addressed to `domain`, newest first. */
export async function mailpitMessages(mailpit: MailpitClient, domain: string): Promise<MessageSummary[]> {
  const all: MessageSummary[] = [];
  for (let start = 0; ; start += 200) {
    const page = await mailpit.search(`to:"${domain}"`, { start, limit: 200 });
    all.push(...page.messages);
    if (page.messages.length < 200) return all;
  }
}

/** Mailpit's messages for `domain`, each with the template its outbox entry names. */
export async function mailLog(models: Models, mailpit: MailpitClient, domain: string): Promise<SentMail[]> {
  const [messages, outbox] = await Promise.all([mailpitMessages(mailpit, domain), models.Outbox.find({}).lean()]);
  const byMessageId = new Map(outbox.map((o) => [bare(o.messageId), o]));
  return messages.map((m) => {
    const entry = byMessageId.get(bare(m.MessageID));
    return {
      template: entry?.template ?? 'unknown',
      purpose: entry?.purpose ?? 'unknown',
      workflowId: entry?.workflowId ?? 'unknown',
      to: m.To?.[0]?.Address ?? '',
      subject: m.Subject,
      attachments: m.Attachments,
      mailpitId: m.ID,
    };
  });
}

/** Counts by template. */
export function countByTemplate(mails: SentMail[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of mails) out[m.template] = (out[m.template] ?? 0) + 1;
  return out;
}
