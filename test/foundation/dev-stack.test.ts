import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePorts, isAlive, readHandle, repoRoot, type StackHandle } from '../../scripts/stack';

// `npm start` end to end (scripts/start.sh → setup.sh → run-dev), on free ports and a temporary
// DATA_DIR. The worker and API are skipped (SIP_DEV_SKIP_APPS=1): their own tests cover them.
jest.setTimeout(90_000);

let env: NodeJS.ProcessEnv;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(process.env.SIP_TEST_RUN_DIR!, 'dev-'));
  chmodSync(dataDir, 0o755); // like .data: the `postgres` user (when root) keeps its cluster inside
  const [postgres, ferretdb, smtp, mailHttp, temporal, temporalUi, api] = await freePorts(7);
  env = { ...process.env };
  // The harness exports the shared test stack's addresses: run-dev would take them as "yours".
  for (const name of ['MONGODB_URI', 'SMTP_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_UI_URL', 'LINK_SECRET']) delete env[name];
  Object.assign(env, {
    DATA_DIR: dataDir,
    SIP_DEV_SKIP_APPS: '1',
    SIP_PORT_POSTGRES: String(postgres),
    SIP_PORT_FERRETDB: String(ferretdb),
    SIP_PORT_MAILPIT_SMTP: String(smtp),
    SIP_PORT_MAILPIT_HTTP: String(mailHttp),
    SIP_PORT_TEMPORAL: String(temporal),
    SIP_PORT_TEMPORAL_UI: String(temporalUi),
    API_PORT: String(api),
  });
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function start(extraEnv: NodeJS.ProcessEnv = {}): Run {
  const child = spawn('bash', [path.join(repoRoot, 'scripts/start.sh')], { env: { ...env, ...extraEnv }, cwd: repoRoot });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitForOutput(run: Run, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (Date.now() > deadline || run.child.exitCode !== null) {
      throw new Error(`no "${text}" in the output of npm start:\n${run.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('npm start runs the stack, refuses a second start, names a busy port, and Ctrl-C stops everything', async () => {
  const first = start();
  try {
    await waitForOutput(first, 'Smart in Progress is running');
    expect(first.output()).toMatch(/Temporal UI +http:\/\/127\.0\.0\.1:\d+/);
    expect(first.output()).toMatch(/Mailpit inbox +http:\/\/127\.0\.0\.1:\d+/);
    expect(readFileSync(path.join(dataDir, 'link-secret'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const handle: StackHandle = readHandle(path.join(dataDir, 'stack.json'));
    const pids = Object.values(handle.servers).map((server) => server!.pid);
    expect(pids).toHaveLength(4);
    expect(pids.every(isAlive)).toBe(true);

    const second = start();
    expect(await second.exit).toBe(1);
    expect(second.output()).toContain(`Smart in Progress is already running (pid ${first.child.pid}`);

    // Another data dir, same ports: the busy port is named, nothing is left behind.
    const third = start({ DATA_DIR: mkdtempSync(path.join(process.env.SIP_TEST_RUN_DIR!, 'dev-other-')) });
    expect(await third.exit).not.toBe(0);
    expect(third.output()).toMatch(/port \d+ \([^)]+\) on 127\.0\.0\.1 is already in use/);

    first.child.kill('SIGINT'); // what Ctrl-C delivers (start.sh exec'd run-dev: same pid)
    expect(await first.exit).toBe(0);
    expect(first.output()).toContain('everything stopped');
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'run-dev.json'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'temporal.db'))).toBe(true); // data stays for the next start
  } finally {
    if (first.child.exitCode === null) {
      first.child.kill('SIGINT');
      await first.exit;
    }
  }
});
