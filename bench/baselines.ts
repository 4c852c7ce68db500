/**
 * The two baselines every other figure is divided by, measured in the same run:
 * - raw pooled nodemailer into Mailpit (5 connections, 10 senders), no outbox, no templates;
 * - bare `executeUpdate` on a one-update bench workflow, spread over 32 workflows, 16 callers.
 * Both as in TOOLCHAIN.md's table, so the absolute figures can be compared with it too.
 */
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { Client } from '@temporalio/client';
import { bumpUpdate, finishSignal } from './workflows/targets';
import { closedLoop, round, summarize, type LatencySummary } from './lib/stats';

export interface SmtpBaseline {
  mails: number;
  connections: number;
  senders: number;
  messageBytes: number;
  elapsedMs: number;
  /** Mails per second. */
  rate: number;
  errors: number;
  /** CPU milliseconds per mail, by process (Mailpit, ..., this process, the whole machine). */
  cpuMsPerMail?: Record<string, number>;
}

/** A mail of about `bytes` bytes (text + HTML), like a rendered invitation. */
export function rawMessage(bytes: number, to: string, i: number) {
  const para = 'Smart in Progress: the yearly participatory cycle of the cooperative. ';
  const textLen = Math.floor(bytes * 0.3);
  const htmlLen = bytes - textLen;
  const text = para.repeat(Math.ceil(textLen / para.length)).slice(0, textLen);
  const html = `<!doctype html><html><body><p>${para.repeat(Math.ceil(htmlLen / para.length)).slice(0, htmlLen - 40)}</p></body></html>`;
  return {
    from: { name: 'Smart in Progress', address: 'participation@smart.coop' },
    to,
    subject: `Bench raw mail ${i}`,
    text,
    html,
    messageId: `<raw-${i}-${randomUUID()}@bench.smart.example>`,
  };
}

export async function smtpBaseline(options: {
  smtpUrl: string;
  mails: number;
  connections?: number;
  senders?: number;
  messageBytes?: number;
  recipient?: (i: number) => string;
}): Promise<SmtpBaseline> {
  const connections = options.connections ?? 5;
  const senders = options.senders ?? 10;
  const messageBytes = options.messageBytes ?? 10_000;
  const transport = createTransport({ url: options.smtpUrl, pool: true, maxConnections: connections, maxMessages: 500 } as Parameters<typeof createTransport>[0]);
  const to = options.recipient ?? ((i: number) => `raw-${i}@bench.smart.example`);
  try {
    // Warm the pool (connections open lazily) so the figure is the steady rate.
    await closedLoop(connections * 4, senders, (i) => transport.sendMail(rawMessage(messageBytes, `warmup-${i}@bench.smart.example`, i)).then(() => undefined));
    const run = await closedLoop(options.mails, senders, (i) => transport.sendMail(rawMessage(messageBytes, to(i), i)).then(() => undefined));
    return {
      mails: options.mails,
      connections,
      senders,
      messageBytes,
      elapsedMs: round(run.elapsedMs, 0),
      rate: round((run.latencies.length / run.elapsedMs) * 1000, 1),
      errors: run.errors,
    };
  } finally {
    transport.close();
  }
}

export interface UpdateBaseline {
  workflows: number;
  callers: number;
  updates: number;
  elapsedMs: number;
  /** Updates per second. */
  rate: number;
  latency: LatencySummary;
  errors: number;
  firstError?: string;
  cpuMsPerUpdate?: Record<string, number>;
}

/** Starts `count` bench workflows of `type` on the task queue; returns their ids. */
export async function startTargets(client: Client, options: { taskQueue: string; count: number; type: string; prefix: string; args?: (i: number) => unknown[] }): Promise<string[]> {
  const ids = Array.from({ length: options.count }, (_, i) => `${options.prefix}-${i}`);
  await Promise.all(
    ids.map((workflowId, i) =>
      client.workflow.start(options.type, { taskQueue: options.taskQueue, workflowId, args: options.args?.(i) ?? [] }),
    ),
  );
  return ids;
}

export async function finishTargets(client: Client, ids: string[]): Promise<void> {
  await Promise.all(ids.map((id) => client.workflow.getHandle(id).signal(finishSignal).catch(() => undefined)));
}

/** executeUpdate round-robin over the workflows, `callers` at a time. */
export async function updateBaseline(client: Client, options: { workflowIds: string[]; callers?: number; updates: number; warmup?: number }): Promise<UpdateBaseline> {
  const callers = options.callers ?? 16;
  const ids = options.workflowIds;
  const call = (i: number) => client.workflow.getHandle(ids[i % ids.length]).executeUpdate(bumpUpdate, { args: [1], updateId: randomUUID() }).then(() => undefined);
  await closedLoop(options.warmup ?? 200, callers, call);
  const run = await closedLoop(options.updates, callers, call);
  return {
    workflows: ids.length,
    callers,
    updates: options.updates,
    elapsedMs: round(run.elapsedMs, 0),
    rate: round((run.latencies.length / run.elapsedMs) * 1000, 1),
    latency: summarize(run.latencies),
    errors: run.errors,
    firstError: run.firstError,
  };
}
