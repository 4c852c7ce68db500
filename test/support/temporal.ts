import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePorts } from '../../scripts/stack/ports';
import { DefaultLogger, NativeConnection, Runtime, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/**
 * Keeps jest output readable: the SDK logs every worker state change at INFO. Call it before the
 * first NativeConnection/Worker of a file when you create them yourself (TEMPORAL_LOG_LEVEL=DEBUG
 * brings the logs back). The helpers below call it.
 */
export function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger(process.env.TEMPORAL_LOG_LEVEL === 'DEBUG' ? 'DEBUG' : 'WARN') });
  } catch {
    // Already installed (by this file or by the test itself): keep that one.
  }
}

function testServerPath(): string {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run the tests through `npm test` or `npx jest`');
  return path;
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/**
 * A time-skipping test environment on the pinned Java test server (no download). Timers jump
 * ahead whenever the workflow waits and no activity runs. No visibility (list/count), schedules
 * or worker versioning there: test those on the dev server (connectDevServer).
 *
 * The server is started here rather than by the SDK: the SDK gives it 5 s to listen, and on
 * this 2-core machine under load (two jest workers, a JVM each) it can take 20 s.
 * Call `await env.teardown()` in afterAll: it also stops the server.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const [port] = await freePorts(1);
  const server = spawn(testServerPath(), [String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`the time-skipping test server did not listen on ${port} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // `create` is private in the typings; it is what createTimeSkipping calls, minus the spawn.
  const create = (TestWorkflowEnvironment as unknown as {
    create(opts: Record<string, unknown>): Promise<TestWorkflowEnvironment>;
  }).create.bind(TestWorkflowEnvironment);
  const env = await create({
    server: { type: 'existing' },
    address: `127.0.0.1:${port}`,
    namespace: 'default',
    supportsTimeSkipping: true,
  });
  const teardown = env.teardown.bind(env);
  env.teardown = async () => {
    try {
      await teardown();
    } finally {
      server.kill('SIGTERM');
    }
  };
  return env;
}

export interface DevServer {
  address: string;
  namespace: string;
  connection: Connection;
  client: Client;
  /** For Worker.create({ connection }). */
  nativeConnection: NativeConnection;
  close(): Promise<void>;
}

/** A client and a worker connection to the harness's Temporal dev server (TEMPORAL_ADDRESS). */
export async function connectDevServer(address = process.env.TEMPORAL_ADDRESS, namespace = 'default'): Promise<DevServer> {
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run the tests through `npm test` or `npx jest`');
  quietRuntime();
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    address,
    namespace,
    connection,
    client: new Client({ connection, namespace }),
    nativeConnection,
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * Bundles workflow code once per test file (jest gives each file its own module registry, so this
 * cache lives as long as the file); pass the result as Worker.create({ workflowBundle }).
 */
export function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  quietRuntime();
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}

/** A task queue of the calling test alone: workers of parallel test files never steal its tasks. */
export function uniqueTaskQueue(label = 'test'): string {
  return `${label}-${randomUUID()}`;
}
