/**
 * Recorded workflow histories: the workflow tests write them (RECORD_HISTORIES=1) under
 * test/fixtures/histories/, the replay test runs every one against today's workflow code, and
 * the privacy test scans them for members' names and addresses.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import type { EditionOptions } from '../../fixtures/edition-2019-2020';
import { workflowRuns } from '../../../api/temporal';

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
const History = temporal.api.history.v1.History;

/**
 * History as JSON: protobufjs' own object form (enums and 64-bit numbers as strings, bytes as
 * base64). Not the SDK's historyToJSON: in this dependency tree @temporalio/proto and
 * @temporalio/common each carry their own protobufjs, and its proto-JSON rejects the other's
 * types ("type must be a Type"). `historyFromRecord` reads it back for the replayer.
 */
export function historyToRecord(history: unknown): unknown {
  return History.toObject(History.fromObject(history as Record<string, unknown>), { longs: String, enums: String, bytes: String });
}

export function historyFromRecord(record: unknown): temporal.api.history.v1.History {
  return History.fromObject(record as Record<string, unknown>);
}

export const seenSizes: Record<string, number[]> = {};

/**
 * Fetches a workflow's history; writes it as a fixture when recording. Returns its event count
 * (of the newest run). A workflow that continued as new has its earlier runs written too
 * (`<file>.run-<n>.json`, oldest first; the newest run keeps `<file>.json`): a run that ended by
 * continuing must replay as well as the one that goes on.
 */
export async function recordHistory(handle: WorkflowHandle, file: string, label: string, edition: EditionOptions): Promise<number> {
  const runs = (await workflowRuns(handle.client, handle.workflowId)).map((r) => r.history).reverse();
  const newest = runs[runs.length - 1];
  const events = newest.events?.length ?? 0;
  const type = newest.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? 'unknown';
  for (const run of runs) (seenSizes[type] ??= []).push(run.events?.length ?? 0);
  if (recording) {
    mkdirSync(HISTORY_DIR, { recursive: true });
    runs.forEach((history, i) => {
      const last = i === runs.length - 1;
      const record: RecordedHistory = {
        workflowId: handle.workflowId, workflowType: type, label: last ? label : `${label} (run ${i + 1} of ${runs.length})`,
        edition, events: history.events?.length ?? 0, history: historyToRecord(history),
      };
      writeFileSync(path.join(HISTORY_DIR, last ? `${file}.json` : `${file}.run-${i + 1}.json`), JSON.stringify(record));
    });
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
