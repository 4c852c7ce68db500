/**
 * Recorded workflow histories: the workflow tests write them (RECORD_HISTORIES=1) under
 * test/fixtures/histories/, the replay test runs every one against today's workflow code, and
 * the privacy test scans them for members' names and addresses.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { WorkflowHandle } from '@temporalio/client';
import type { EditionOptions } from '../../fixtures/edition-2019-2020';

export const HISTORY_DIR = path.resolve(__dirname, '../../fixtures/histories');
export const recording = process.env.RECORD_HISTORIES === '1';

export interface RecordedHistory {
  workflowId: string;
  workflowType: string;
  /** Which test recorded it and when in the story. */
  label: string;
  /** The fixture edition the members came from (the privacy scan rebuilds their names). */
  edition: EditionOptions;
  events: number;
  history: unknown;
}

/** Events per history fetched in this run, for the report (workflow type → sizes). */
export const seenSizes: Record<string, number[]> = {};

/** Fetches a workflow's history; writes it as a fixture when recording. Returns its event count. */
export async function recordHistory(handle: WorkflowHandle, file: string, label: string, edition: EditionOptions): Promise<number> {
  const history = await handle.fetchHistory();
  const events = history.events?.length ?? 0;
  const type = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? 'unknown';
  (seenSizes[type] ??= []).push(events);
  if (recording) {
    mkdirSync(HISTORY_DIR, { recursive: true });
    const record: RecordedHistory = {
      workflowId: handle.workflowId, workflowType: type, label, edition, events, history: JSON.parse(historyToJSON(history)),
    };
    writeFileSync(path.join(HISTORY_DIR, `${file}.json`), JSON.stringify(record));
  }
  return events;
}

/** Every recorded fixture. */
export function loadHistories(): (RecordedHistory & { file: string })[] {
  let files: string[] = [];
  try {
    files = readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files.map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(HISTORY_DIR, file), 'utf8')) as RecordedHistory) }));
}
