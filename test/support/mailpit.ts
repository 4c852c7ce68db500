import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { freePorts, startMailpit, stopMailpit, writeHandle } from '../../scripts/stack';

/** Mailpit REST types (v1.30), only the fields tests read. */
export interface MailAddress {
  Name: string;
  Address: string;
}

export interface MessageSummary {
  ID: string;
  MessageID: string;
  From: MailAddress | null;
  To: MailAddress[] | null;
  Cc: MailAddress[] | null;
  Bcc: MailAddress[] | null;
  Subject: string;
  Created: string;
  Attachments: number;
  Snippet: string;
  Tags: string[];
}

export interface MessagesPage {
  total: number;
  messages_count: number;
  start: number;
  messages: MessageSummary[];
}

export interface Attachment {
  PartID: string;
  FileName: string;
  ContentType: string;
  ContentID: string;
  Size: number;
}

export interface Message {
  ID: string;
  MessageID: string;
  From: MailAddress | null;
  To: MailAddress[] | null;
  Cc: MailAddress[] | null;
  Bcc: MailAddress[] | null;
  ReplyTo: MailAddress[] | null;
  Subject: string;
  Date: string;
  Text: string;
  HTML: string;
  Size: number;
  Inline: Attachment[];
  Attachments: Attachment[];
}

export interface ChaosTrigger {
  /** SMTP code 400-599. */
  ErrorCode?: number;
  /** 0-100 (percent). */
  Probability: number;
}

export interface ChaosTriggers {
  Sender?: ChaosTrigger;
  Recipient?: ChaosTrigger;
  Authentication?: ChaosTrigger;
}

/**
 * Typed client for Mailpit's REST API.
 *
 * The harness's Mailpit is shared by all test files running in parallel: search by a recipient
 * address of your own (`uniqueAddress()`) and delete only your messages (`deleteSearch`).
 * Chaos is global to a Mailpit: a test that injects SMTP failures should use startPrivateMailpit().
 */
export class MailpitClient {
  readonly baseUrl: string;

  constructor(baseUrl = process.env.MAILPIT_API_URL) {
    if (!baseUrl) throw new Error('MAILPIT_API_URL is not set: run the tests through `npm test` or `npx jest`');
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  private async request(method: string, route: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${this.baseUrl}/api/v1${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`Mailpit ${method} ${route}: HTTP ${response.status} ${await response.text()}`);
    }
    return response;
  }

  private async json<T>(method: string, route: string, body?: unknown): Promise<T> {
    return (await this.request(method, route, body)).json() as Promise<T>;
  }

  /** Newest first. */
  list(options: { start?: number; limit?: number } = {}): Promise<MessagesPage> {
    const query = new URLSearchParams({ start: String(options.start ?? 0), limit: String(options.limit ?? 50) });
    return this.json('GET', `/messages?${query}`);
  }

  /** Mailpit search syntax, e.g. `to:"a@b.c" subject:"Invitation"`. Newest first. */
  search(query: string, options: { start?: number; limit?: number } = {}): Promise<MessagesPage> {
    const params = new URLSearchParams({ query, start: String(options.start ?? 0), limit: String(options.limit ?? 200) });
    return this.json('GET', `/search?${params}`);
  }

  /** Messages addressed (To, Cc or Bcc) to this address, newest first. */
  async byRecipient(address: string): Promise<MessageSummary[]> {
    return (await this.search(`to:"${address}"`)).messages;
  }

  message(id: string): Promise<Message> {
    return this.json('GET', `/message/${encodeURIComponent(id)}`);
  }

  headers(id: string): Promise<Record<string, string[]>> {
    return this.json('GET', `/message/${encodeURIComponent(id)}/headers`);
  }

  async raw(id: string): Promise<string> {
    return (await this.request('GET', `/message/${encodeURIComponent(id)}/raw`)).text();
  }

  async attachment(id: string, partId: string): Promise<Buffer> {
    const response = await this.request('GET', `/message/${encodeURIComponent(id)}/part/${encodeURIComponent(partId)}`);
    return Buffer.from(await response.arrayBuffer());
  }

  /**
   * Polls until at least `count` messages match the search query; returns them (newest first).
   * Fails with the number found when the timeout passes.
   */
  async waitFor(query: string, count = 1, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<MessageSummary[]> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const page = await this.search(query, { limit: Math.max(count, 200) });
      if (page.messages_count >= count) return page.messages;
      if (Date.now() > deadline) {
        throw new Error(`Mailpit: ${page.messages_count} of ${count} messages matching ${query} after ${options.timeoutMs ?? 10_000} ms`);
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
    }
  }

  /** Shorthand: waits for `count` messages to `address` and returns them read in full. */
  async waitForRecipient(address: string, count = 1, options: { timeoutMs?: number } = {}): Promise<Message[]> {
    const summaries = await this.waitFor(`to:"${address}"`, count, options);
    return Promise.all(summaries.map((s) => this.message(s.ID)));
  }

  async deleteSearch(query: string): Promise<void> {
    await this.request('DELETE', `/search?${new URLSearchParams({ query })}`);
  }

  async deleteMessages(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.request('DELETE', '/messages', { IDs: ids });
  }

  /** Deletes every message: only on a private Mailpit (the shared one serves parallel files). */
  async deleteAll(): Promise<void> {
    await this.request('DELETE', '/messages');
  }

  getChaos(): Promise<Required<ChaosTriggers>> {
    return this.json('GET', '/chaos');
  }

  /** Injects SMTP failures (Mailpit started with --enable-chaos). Unnamed triggers reset to 0 %. */
  setChaos(triggers: ChaosTriggers): Promise<Required<ChaosTriggers>> {
    const off = { Probability: 0 };
    return this.json('PUT', '/chaos', {
      Sender: triggers.Sender ?? off,
      Recipient: triggers.Recipient ?? off,
      Authentication: triggers.Authentication ?? off,
    });
  }

  disableChaos(): Promise<Required<ChaosTriggers>> {
    return this.setChaos({});
  }
}

/** A recipient address no other test uses: `<label>-<uuid>@test.smart.example`. */
export function uniqueAddress(label = 'member'): string {
  return `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID()}@test.smart.example`;
}

export interface PrivateMailpit {
  client: MailpitClient;
  smtpUrl: string;
  /** Its web UI and REST API. */
  httpUrl: string;
  stop(): Promise<void>;
}

/** A Mailpit of the calling test alone (chaos enabled), on free ports; stop() it in afterAll. */
export async function startPrivateMailpit(): Promise<PrivateMailpit> {
  const base = process.env.SIP_TEST_RUN_DIR ?? path.join(__dirname, '..', '..', '.test-data');
  const dataDir = mkdtempSync(path.join(base, 'mailpit-'));
  const [smtpPort, httpPort] = await freePorts(2);
  const server = await startMailpit({ dataDir, smtpPort, httpPort, chaos: true });
  // A handle in the run dir lets scripts/test.sh stop it if jest is interrupted.
  writeHandle(path.join(dataDir, 'stack.json'), {
    version: 1,
    dataDir,
    ownerPid: process.pid,
    startedAt: new Date().toISOString(),
    servers: { mailpit: server },
  });
  return {
    client: new MailpitClient(server.httpUrl),
    smtpUrl: server.smtpUrl,
    httpUrl: server.httpUrl,
    stop: () => stopMailpit(server),
  };
}
