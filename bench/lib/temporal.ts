/** Workflow bundles written to files (a worker restart then takes about a second) and worker children. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { repoRoot } from '../../scripts/stack';
import { startNode, type NodeChild } from './child';

let runtimeInstalled = false;
/** The SDK logs every worker state change at INFO: keep the bench output to its figures. */
export function quietTemporal(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
}

const bundles = new Map<string, Promise<string>>();

/** Bundles workflowsPath once into dir/<name>.js; returns the file path. */
export function bundleToFile(workflowsPath: string, dir: string, name: string): Promise<string> {
  const key = `${workflowsPath}|${dir}|${name}`;
  let file = bundles.get(key);
  if (!file) {
    file = (async () => {
      quietTemporal();
      const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
      mkdirSync(dir, { recursive: true });
      const out = path.join(dir, `${name}.js`);
      writeFileSync(out, code);
      return out;
    })();
    bundles.set(key, file);
  }
  return file;
}

export const benchWorkflowsPath = path.join(repoRoot, 'bench', 'workflows', 'targets.ts');
export const projectWorkflowsPath = path.join(repoRoot, 'workflows', 'index.ts');
export const projectWorkerFile = path.join(repoRoot, 'worker', 'main.ts');
export const projectWorkflowsExist = () => existsSync(projectWorkflowsPath);
export const projectWorkerExists = () => existsSync(projectWorkerFile);

export interface WorkerChildOptions {
  name?: string;
  env: NodeJS.ProcessEnv;
  taskQueue: string;
  bundle: string;
  activities?: ('mail' | 'project')[];
  logDir: string;
  /** e.g. ['--cpu-prof', '--cpu-prof-dir', dir] (the profile is written when the worker exits). */
  nodeFlags?: string[];
}

/** bench/worker.ts as a child; resolves once it polls its task queue. */
export async function startWorkerChild(options: WorkerChildOptions): Promise<NodeChild> {
  const child = startNode({
    name: options.name ?? 'worker',
    file: 'bench/worker.ts',
    logDir: options.logDir,
    nodeFlags: options.nodeFlags,
    env: {
      ...options.env,
      BENCH_TASK_QUEUE: options.taskQueue,
      BENCH_BUNDLE: options.bundle,
      BENCH_ACTIVITIES: (options.activities ?? []).join(','),
    },
  });
  await child.message<{ type: string }>((m) => m.type === 'ready', 120_000);
  return child;
}

export async function connectClient(address: string, namespace = 'default'): Promise<{ client: Client; connection: Connection }> {
  quietTemporal();
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace }), connection };
}
