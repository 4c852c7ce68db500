/**
 * A private stack (PostgreSQL + FerretDB, Mailpit, Temporal dev server) on free ports under a
 * data dir of its own, started with the project's stack library (scripts/stack), for one bench
 * run or one drill file. Nothing here touches the shared test stack or `npm start`'s servers.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  freePorts, readHandle, removeStackData, stackEnv, startStack, stopStack, writeHandle,
  type StackHandle, type StackOptions,
} from '../../scripts/stack';

export interface PrivateStack {
  dataDir: string;
  handleFile: string;
  /** MONGODB_URI base (no database), SMTP_URL, MAILPIT_API_URL, TEMPORAL_ADDRESS, TEMPORAL_UI_URL. */
  env: Record<string, string>;
  mongoBase: string;
  mongoUri(database: string): string;
  handle(): StackHandle;
  /** Stops every server (also after failures); removes the data unless keep. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

export interface PrivateStackOptions {
  dataDir: string;
  run?: StackOptions['run'];
  mailpitChaos?: boolean;
  /** fsync off: for drills (throw-away data). Benchmarks keep `npm start`'s durable settings. */
  fastPostgres?: boolean;
  log?: (line: string) => void;
}

export async function startPrivateStack(options: PrivateStackOptions): Promise<PrivateStack> {
  const [postgres, ferretdb, mailpitSmtp, mailpitHttp, temporal, temporalUi] = await freePorts(6);
  const handle = await startStack({
    dataDir: options.dataDir,
    ports: { postgres, ferretdb, mailpitSmtp, mailpitHttp, temporal, temporalUi },
    run: options.run,
    mailpitChaos: options.mailpitChaos,
    fastPostgres: options.fastPostgres,
    log: options.log,
  });
  const handleFile = path.join(options.dataDir, 'stack.json');
  writeHandle(handleFile, handle);
  const env = stackEnv(handle);
  const mongoBase = handle.servers.ferretdb?.mongoUrl ?? '';
  let stopped = false;
  return {
    dataDir: options.dataDir,
    handleFile,
    env,
    mongoBase,
    mongoUri: (database: string) => `${mongoBase.replace(/\/$/, '')}/${database}`,
    handle: () => readHandle(handleFile),
    async stop(stopOptions = {}) {
      if (stopped) return;
      stopped = true;
      const latest = readHandle(handleFile);
      await stopStack(latest);
      if (!stopOptions.keep) removeStackData(latest);
    },
  };
}

/** A LINK_SECRET for one run. */
export const randomSecret = () => randomBytes(32).toString('hex');
