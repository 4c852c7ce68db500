/**
 * The SMTP transport: one pooled nodemailer transport per worker process (worker/main.ts creates
 * it from the configuration and closes it at shutdown). Timeouts are short so that an attempt
 * stuck in an SMTP transaction ends well within the claim lease of the outbox (outbox.ts).
 */
import { createTransport, type SendMailOptions, type SentMessageInfo, type Transporter } from 'nodemailer';
import type { Config } from '../../config';

/** What the mail activities need from a transport (tests wrap the real one to simulate crashes). */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<SentMessageInfo>;
}

/** Upper bound of one SMTP transaction with these timeouts (connect + greeting + data). */
export const SMTP_TRANSACTION_BOUND_MS = 10_000 + 10_000 + 60_000;

/** A pooled SMTP transport to SMTP_URL with SMTP_POOL_SIZE connections. */
export function createMailTransport(config: Pick<Config, 'SMTP_URL' | 'SMTP_POOL_SIZE'>): Transporter {
  return createTransport({
    url: config.SMTP_URL,
    pool: true,
    maxConnections: config.SMTP_POOL_SIZE,
    maxMessages: 500,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
    // The mail carries the log-worthy facts; nodemailer's own logger would print addresses.
    logger: false,
    debug: false,
  } as Parameters<typeof createTransport>[0]);
}

/** How an SMTP failure is handled: retried later, or final for this entry. */
export type SmtpFailure =
  | { kind: 'permanent'; responseCode?: number; response: string }
  | { kind: 'transient'; responseCode?: number; response: string };

/**
 * 5xx replies are permanent (RFC 5321): the entry fails and staff are told. Everything else (4xx
 * such as 421 or 451, a refused or dropped connection, a timeout) is transient: the mail was not
 * accepted, so it may be sent again.
 */
export function classifySmtpError(err: unknown): SmtpFailure {
  const e = err as { responseCode?: number; permanent?: boolean; response?: string; code?: string; message?: string };
  const responseCode = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
  // The server's reply, without the addresses nodemailer may quote in its messages.
  const response = String(e?.response ?? e?.code ?? e?.message ?? 'error')
    .replace(/<[^>]*@[^>]*>/g, '<address>')
    .replace(/[^\s<>]+@[^\s<>]+/g, '<address>')
    .slice(0, 300);
  if (e?.permanent === true || (responseCode !== undefined && responseCode >= 500 && responseCode < 600)) {
    return { kind: 'permanent', responseCode, response };
  }
  return { kind: 'transient', responseCode, response };
}
