import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  freePorts,
  pruneFinishedRuns,
  repoRoot,
  runningMarker,
  stackEnv,
  startStack,
  stopStaleRuns,
  toolsBin,
  writeHandle,
} from '../../scripts/stack';
import { testDataBase } from './test-data';

/**
 * Starts the shared test stack once per `jest` run, on free ports under .test-data/<run>/, and
 * exports its addresses through process.env (jest workers inherit it). Tools are installed by
 * scripts/test.sh (setup.sh) before jest starts; this only runs them.
 */
export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  // Checked first: a failure after the servers started would leave them to the stale-run cleanup.
  const testServer = path.join(toolsBin, 'temporal-test-server');
  if (!existsSync(testServer)) throw new Error(`${testServer} is missing: run 'npm run setup'`);
  await stopStaleRuns(testDataBase, (line) => console.log(`\n[stack] ${line}`));
  pruneFinishedRuns(testDataBase, 3);

  const runDir = process.env.SIP_TEST_RUN_DIR || path.join(testDataBase, runName());
  mkdirSync(runDir, { recursive: true });
  const [postgres, ferretdb, mailpitSmtp, mailpitHttp, temporal, temporalUi] = await freePorts(6);
  const handle = await startStack({
    dataDir: runDir,
    ports: { postgres, ferretdb, mailpitSmtp, mailpitHttp, temporal, temporalUi },
    mailpitChaos: true,
    fastPostgres: true,
  });
  const handleFile = path.join(runDir, 'stack.json');
  writeHandle(handleFile, handle);
  writeFileSync(path.join(runDir, runningMarker), `${process.pid}\n`);

  Object.assign(process.env, {
    ...stackEnv(handle),
    MONGODB_URI: `${handle.servers.ferretdb!.mongoUrl}`, // base URI: each file picks its database
    TEMPORAL_TEST_SERVER_PATH: testServer,
    LINK_SECRET: process.env.LINK_SECRET || randomBytes(32).toString('hex'),
    DATA_DIR: path.join(runDir, 'app'),
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
    SIP_TEST_RUN_DIR: runDir,
    SIP_STACK_HANDLE: handleFile,
    SIP_PORT_POSTGRES: String(postgres),
    SIP_PORT_FERRETDB: String(ferretdb),
    SIP_PORT_MAILPIT_SMTP: String(mailpitSmtp),
    SIP_PORT_MAILPIT_HTTP: String(mailpitHttp),
    SIP_PORT_TEMPORAL: String(temporal),
    SIP_PORT_TEMPORAL_UI: String(temporalUi),
  });
  console.log(`\n[stack] test servers up in ${Date.now() - t0} ms (data and logs: ${path.relative(repoRoot, runDir)})`);
}

function runName(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${process.pid}`;
}
