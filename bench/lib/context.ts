/** What every benchmark gets from bench/main.ts: the size, the private stack, a client, a log. */
import type { Client } from '@temporalio/client';
import type { MailpitClient } from '../../test/support/mailpit';
import type { Figure } from './report';
import type { PrivateStack } from './stack';

export type SizeName = 'quick' | 'whole';

export interface Size {
  /** Raw SMTP baseline: mails per measurement. */
  smtpMails: number;
  /** Bare executeUpdate baseline: updates per measurement (after 200 warm-up calls). */
  updates: number;
  /** Workflows the updates and the clicks are spread over, and concurrent callers. */
  workflows: number;
  callers: number;
  /** Link clicks: links issued (live), and how many of them are clicked in the measured burst. */
  liveLinks: number;
  clicks: number;
  /** Mail fan-out: members invited (plain, then with the worker killed halfway). */
  fanOut: number;
  /** Whole Europe: the edition is divided by this (1 = 100,000 members, 1,000 groups). */
  europeDivisor: number;
  /**
   * Heartbeat timeout of the fan-out activity, seconds: the product's 120 at the whole size; the
   * quick size uses 30 so that the killed fan-out resumes sooner (the outbox's 2-minute claim
   * lease still applies to the mails in flight at the kill).
   */
  fanOutHeartbeatSeconds: number;
}

export const SIZES: Record<SizeName, Size> = {
  quick: { smtpMails: 2_000, updates: 1_500, workflows: 32, callers: 16, liveLinks: 10_000, clicks: 1_500, fanOut: 3_000, europeDivisor: 50, fanOutHeartbeatSeconds: 30 },
  whole: { smtpMails: 20_000, updates: 8_000, workflows: 32, callers: 16, liveLinks: 100_000, clicks: 8_000, fanOut: 100_000, europeDivisor: 1, fanOutHeartbeatSeconds: 120 },
};

export interface Baselines {
  /** Raw SMTP mails/s (mean of the measurements of this run). */
  smtpRate?: number;
  /** Bare executeUpdate: updates/s and latency (ms). */
  updateRate?: number;
  updateP50?: number;
  updateP99?: number;
}

export interface BenchContext {
  size: Size;
  sizeName: SizeName;
  stack: PrivateStack;
  runDir: string;
  logDir: string;
  bundleDir: string;
  linkSecret: string;
  client: Client;
  mailpit: MailpitClient;
  baselines: Baselines;
  /** Options from the command line (--api-log-level, --click-target, ...). */
  options: Record<string, string>;
  log(line: string): void;
}

export interface BenchResult {
  figures: Figure[];
  details: Record<string, unknown>;
}
