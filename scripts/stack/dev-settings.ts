import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';
import type { StackPorts } from './stack';

/** Default ports of `npm start` (MONGODB_URI, SMTP_URL, TEMPORAL_ADDRESS defaults point at them). */
export const devDefaultPorts: StackPorts = {
  postgres: 5433,
  ferretdb: 27027,
  mailpitSmtp: 1025,
  mailpitHttp: 8025,
  temporal: 7233,
  temporalUi: 8233,
};

/** SIP_PORT_* move one embedded server elsewhere (the configuration variables stay the same). */
export const portVariables: Record<keyof StackPorts, string> = {
  postgres: 'SIP_PORT_POSTGRES',
  ferretdb: 'SIP_PORT_FERRETDB',
  mailpitSmtp: 'SIP_PORT_MAILPIT_SMTP',
  mailpitHttp: 'SIP_PORT_MAILPIT_HTTP',
  temporal: 'SIP_PORT_TEMPORAL',
  temporalUi: 'SIP_PORT_TEMPORAL_UI',
};

export function devPorts(env: NodeJS.ProcessEnv): StackPorts {
  const ports = { ...devDefaultPorts };
  for (const key of Object.keys(portVariables) as (keyof StackPorts)[]) {
    const value = env[portVariables[key]];
    if (!value) continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${portVariables[key]}=${value} is not a port number (1-65535)`);
    }
    ports[key] = port;
  }
  return ports;
}

/** DATA_DIR (config/index.ts default `.data`) resolved against the repository root. */
export function devDataDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(repoRoot, env.DATA_DIR || '.data');
}

/**
 * LINK_SECRET from the environment, else the one generated at the first start and kept in
 * <dataDir>/link-secret: links already emailed must stay valid after a restart.
 */
export function devLinkSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.LINK_SECRET) return env.LINK_SECRET;
  const file = path.join(dataDir, 'link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
