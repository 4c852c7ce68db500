/** The product's API process (api/main.ts) as a child, on a free port. */
import { freePort } from '../../scripts/stack';
import { startNode, type NodeChild } from './child';
import { waitForHttp } from './http';

export interface ApiChild extends NodeChild {
  url: string;
  port: number;
}

export async function startApiChild(options: { env: NodeJS.ProcessEnv; logDir: string; port?: number; name?: string; nodeFlags?: string[] }): Promise<ApiChild> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = startNode({
    name: options.name ?? 'api',
    file: 'api/main.ts',
    logDir: options.logDir,
    nodeFlags: options.nodeFlags,
    env: { PUBLIC_BASE_URL: url, ...options.env, API_HOST: '127.0.0.1', API_PORT: String(port) },
  });
  try {
    await Promise.race([
      waitForHttp(`${url}/health`, { timeoutMs: 90_000, what: 'the API (api/main.ts)' }),
      child.exited.then((how) => {
        throw new Error(`the API exited (${how}) during its start; see ${child.logFile}`);
      }),
    ]);
  } catch (err) {
    await child.stop(2_000);
    throw err;
  }
  return Object.assign(child, { url, port });
}
