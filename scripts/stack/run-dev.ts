// `npm start`: the whole system on embedded servers, in the foreground, until Ctrl-C.
// scripts/start.sh runs setup.sh first, then this file with `node --import tsx`.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config';
import { appEntries, appExists, startApp, stopApp, type DevApp } from './dev-apps';
import { liveLock, readLock, removeLock, writeLock } from './dev-lock';
import { devDataDir, devLinkSecret, devPorts } from './dev-settings';
import { assertPortFree, waitForPort } from './ports';
import { isOurProcess, tailFile } from './processes';
import { readHandle, stackEnv, startStack, stopStack, writeHandle, type StackHandle } from './stack';

const say = (line: string) => console.log(`[start] ${line}`);

async function main(): Promise<number> {
  const env = process.env;
  const dataDir = devDataDir(env);
  mkdirSync(dataDir, { recursive: true });

  const running = liveLock(dataDir);
  if (running) {
    console.error(
      `Smart in Progress is already running (pid ${running.pid}, since ${running.startedAt}, data in ${dataDir}).\n` +
        `Stop it with Ctrl-C in its terminal, or: kill ${running.pid}`,
    );
    return 1;
  }
  writeLock(dataDir, { pid: process.pid, startedAt: new Date().toISOString(), apps: {} });
  await stopLeftovers(dataDir);

  // What the user points elsewhere, we do not start (config/index.ts defaults are ours).
  const external = { mongo: !!env.MONGODB_URI, mail: !!env.SMTP_URL, temporal: !!env.TEMPORAL_ADDRESS };
  const ports = devPorts(env);
  const linkSecret = devLinkSecret(env, dataDir);
  const apps = env.SIP_DEV_SKIP_APPS === '1' ? [] : appEntries.filter((app) => appExists(app.file));
  for (const app of appEntries) {
    if (!apps.includes(app)) say(`skipping the ${app.name}: ${env.SIP_DEV_SKIP_APPS === '1' ? 'SIP_DEV_SKIP_APPS=1' : `${app.file} does not exist yet`}`);
  }

  // Validate the configuration before starting anything: a bad value is named, nothing is left running.
  const preliminary = appEnv(env, undefined, ports, external, linkSecret, dataDir);
  const config = loadConfig(preliminary);
  if (apps.some((app) => app.name === 'api')) await assertPortFree(config.API_PORT, config.API_HOST, 'API (API_PORT)');

  const handleFile = path.join(dataDir, 'stack.json');
  let handle: StackHandle | undefined;
  let started: DevApp[] = [];
  let stopping: Promise<void> | undefined;
  let startup: Promise<void> = Promise.resolve();
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      say(`${reason}: stopping...`);
      // A start in progress finishes first (it notices `stopping`), so that we stop what it started.
      await startup.catch(() => undefined);
      await Promise.allSettled(started.map((app) => stopApp(app)));
      if (handle) await stopStack(handle);
      rmSync(handleFile, { force: true });
      removeLock(dataDir);
      say('everything stopped');
    })());
  const exitCode = new Promise<number>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(sig, () => {
        if (stopping) say('still stopping, please wait (servers are shutting down cleanly)');
        void shutdown(`${sig} received`).then(() => resolve(0));
      });
    }
    startup = (async () => {
      handle = await startStack({
        dataDir,
        ports,
        run: { mongo: !external.mongo, mail: !external.mail, temporal: !external.temporal },
        log: (line) => say(line),
      });
      writeHandle(handleFile, handle);
      if (stopping) return; // Ctrl-C while the servers were starting

      const childEnv = appEnv(env, handle, ports, external, linkSecret, dataDir);
      for (const app of apps) {
        const child = startApp(app, childEnv, path.join(dataDir, 'logs'));
        started = [...started, child];
        void child.exited.then((how) => {
          if (stopping) return;
          console.error(`[start] the ${app.name} ${how} (log: ${path.join(dataDir, 'logs', `${app.name}.log`)})`);
          void shutdown(`the ${app.name} stopped`).then(() => resolve(1));
        });
      }
      writeLock(dataDir, { ...readLock(dataDir)!, apps: Object.fromEntries(started.map((a) => [a.name, a.pid])) });

      if (apps.some((app) => app.name === 'api')) {
        const host = config.API_HOST === '0.0.0.0' ? '127.0.0.1' : config.API_HOST;
        await waitForPort(config.API_PORT, host, { what: 'API', timeoutMs: 120_000, failure: () => (stopping ? 'stopping' : undefined) });
      }
      if (!stopping) printBanner(loadConfig(childEnv), dataDir, handle, apps.length);

      // The watchdog also keeps this process alive (the children are detached and unref'd).
      const watchdog = setInterval(() => {
        if (stopping) return clearInterval(watchdog);
        for (const server of Object.values(handle!.servers)) {
          if (server && !isOurProcess(server.pid, server.exe)) {
            console.error(`[start] ${server.name} (pid ${server.pid}) stopped unexpectedly; last lines of ${server.logFile}:\n${tailFile(server.logFile)}`);
            void shutdown(`${server.name} stopped`).then(() => resolve(1));
            return clearInterval(watchdog);
          }
        }
      }, 2000);
    })();
    startup.catch((error: unknown) => {
      if (stopping) return; // a wait cut short by the shutdown already under way
      console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
      void shutdown('start failed').then(() => resolve(1));
    });
  });
  return exitCode;
}

/** The environment of the worker and the API: the user's, plus the addresses of our servers. */
function appEnv(
  env: NodeJS.ProcessEnv,
  handle: StackHandle | undefined,
  ports: ReturnType<typeof devPorts>,
  external: { mongo: boolean; mail: boolean; temporal: boolean },
  linkSecret: string,
  dataDir: string,
): NodeJS.ProcessEnv {
  const ours = handle
    ? stackEnv(handle)
    : {
        ...(external.mongo ? {} : { MONGODB_URI: `mongodb://127.0.0.1:${ports.ferretdb}/` }),
        ...(external.mail ? {} : { SMTP_URL: `smtp://127.0.0.1:${ports.mailpitSmtp}`, MAIL_DELIVERY_LOOKUP_URL: `http://127.0.0.1:${ports.mailpitHttp}` }),
        ...(external.temporal ? {} : { TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`, TEMPORAL_UI_URL: `http://127.0.0.1:${ports.temporalUi}` }),
      };
  // Links in emails must reach this API: follow API_PORT unless the user set the public URL
  // (a bad API_PORT is left for loadConfig to name).
  const apiPort = env.API_PORT || '3000';
  const publicBaseUrl = env.PUBLIC_BASE_URL || (/^\d+$/.test(apiPort) ? `http://127.0.0.1:${apiPort}` : undefined);
  return {
    ...env,
    ...ours,
    ...(ours.MONGODB_URI ? { MONGODB_URI: `${ours.MONGODB_URI.replace(/\/$/, '')}/smart-in-progress` } : {}),
    ...(publicBaseUrl ? { PUBLIC_BASE_URL: publicBaseUrl } : {}),
    LINK_SECRET: linkSecret,
    DATA_DIR: dataDir,
  };
}

/** A previous run killed hard (kill -9, closed terminal) may have left servers and apps behind. */
async function stopLeftovers(dataDir: string): Promise<void> {
  const handleFile = path.join(dataDir, 'stack.json');
  if (!existsSync(handleFile)) return;
  say('a previous run did not stop cleanly: stopping what it left running');
  const previous = readHandle(handleFile);
  const lockApps = readLock(dataDir)?.apps ?? {};
  for (const [name, pid] of Object.entries(lockApps)) {
    if (isOurProcess(pid, `${name}/main.ts`)) await stopApp({ pid });
  }
  await stopStack(previous);
  rmSync(handleFile, { force: true });
}

function printBanner(config: ReturnType<typeof loadConfig>, dataDir: string, handle: StackHandle, appCount: number): void {
  const { mailpit } = handle.servers;
  const api = `http://${config.API_HOST === '0.0.0.0' ? '127.0.0.1' : config.API_HOST}:${config.API_PORT}`;
  const lines = [
    '',
    'Smart in Progress is running',
    appCount > 0 && appExists('api/main.ts') ? `  API            ${api}   (OpenAPI page: ${api}/docs)` : '  API            not started (api/main.ts missing)',
    `  Temporal UI    ${config.TEMPORAL_UI_URL}`,
    mailpit ? `  Mailpit inbox  ${mailpit.httpUrl}` : `  Mail           sent to ${config.SMTP_URL} (yours)`,
    `  MongoDB        ${config.MONGODB_URI}`,
    `  data and logs  ${dataDir}`,
    'Press Ctrl-C to stop everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`[start] ${error.message}`);
    else console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    // Nothing was started yet (config and ports are checked first): only the lock to release.
    removeLock(devDataDir(process.env));
    process.exit(2);
  },
);

