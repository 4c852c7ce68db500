import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configVariables, loadConfig } from '../../config';
import { searchAttributes } from '../../config/search-attributes';
import { repoRoot } from '../../scripts/stack';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../worker/node-flags';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number>;
  healthcheck?: { test: unknown };
  deploy?: { replicas?: number };
  command?: string | string[];
}

const text = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };

/** Compose interpolation of one value: `${X:-default}` gives the default, `${X:?msg}` is required. */
function interpolate(value: string): { value: string; required: boolean } {
  let required = false;
  const result = value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::?([-?])([^}]*))?\}/g, (_m, _name, op: string, arg: string) => {
    if (op === '?') {
      required = true;
      return '';
    }
    return op === '-' ? arg : '';
  });
  return { value: result.replace(/\$\$/g, '$'), required };
}

test('docker-compose.yml is valid YAML with the expected services', () => {
  expect(Object.keys(compose.services)).toEqual(
    expect.arrayContaining(['temporal-postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'mongo', 'mailpit', 'api', 'worker']),
  );
  expect(compose.services.mongo.image).toBe('mongo:7');
  expect(compose.services.temporal.image).toMatch(/^temporalio\/server:/);
  for (const name of ['temporal-postgresql', 'temporal', 'mongo', 'mailpit', 'api', 'worker']) {
    expect({ name, healthcheck: compose.services[name].healthcheck?.test }).toEqual({ name, healthcheck: expect.anything() });
  }
  expect(compose.services.worker.deploy?.replicas).toBeGreaterThanOrEqual(1);
  // The worker runs with the node flags `npm start` and the benchmark give it.
  expect(compose.services.worker.command).toEqual(['node', ...WORKER_NODE_FLAGS, '--import', 'tsx', 'worker/main.ts']);
  expect(compose.services.worker.environment).toEqual(expect.objectContaining(WORKER_PROCESS_ENV));
});

test('every $ is a valid compose interpolation or an escaped $$', () => {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line)); // compose ignores comments
  const bad = lines.flatMap((line) =>
    [...line.matchAll(/\$+/g)]
      .filter((m) => m[0].length % 2 === 1) // $$ is a literal $; an odd run ends in a real one
      .map((m) => line.slice(m.index + m[0].length - 1))
      .filter((rest) => !/^\$\{[A-Z_][A-Z0-9_]*(:?[-?][^}$]*)?\}/.test(rest) && !/^\$[A-Z_]/.test(rest)),
  );
  expect(bad).toEqual([]);
});

describe.each(['api', 'worker'])('the %s service', (name) => {
  const service = compose.services[name];

  test('sets or defaults every variable of config/index.ts, and only LINK_SECRET is left to the operator', () => {
    const environment = service.environment ?? {};
    expect(configVariables.filter((v) => !(v in environment))).toEqual([]);
    const required = Object.entries(environment)
      .filter(([, value]) => interpolate(String(value)).required)
      .map(([variable]) => variable);
    expect(required).toEqual(['LINK_SECRET']);
  });

  test('its defaults pass the configuration schema', () => {
    const env = Object.fromEntries(
      Object.entries(service.environment ?? {}).map(([variable, value]) => [variable, interpolate(String(value)).value]),
    );
    const config = loadConfig({ ...env, LINK_SECRET: 'x'.repeat(64) });
    expect(config.API_HOST).toBe('0.0.0.0'); // reachable from outside the container
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(config.MONGODB_URI).toMatch(/^mongodb:\/\/mongo:27017\//);
  });
});

test('the temporal-setup job registers exactly the search attributes of config/search-attributes.ts', () => {
  const script = ([] as string[]).concat(compose.services['temporal-setup'].command ?? []).join('\n');
  const registered = Object.fromEntries([...script.matchAll(/\b(Sip[A-Za-z]+):([A-Za-z]+)\b/g)].map((m) => [m[1], m[2]]));
  expect(registered).toEqual(searchAttributes);
});

test('the Dockerfile builds the app on node:24-bookworm-slim with npm ci', () => {
  const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim$/m);
  expect(dockerfile).toMatch(/npm ci/);
});
