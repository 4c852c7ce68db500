// Prints the configuration table of docs/README-foundation.md from config/index.ts:
//   npx tsx scripts/config-table.ts
// test/foundation/config-docs.test.ts fails when the README's table and this output differ.
import { configSchema, configVariables, type Config } from '../config';

/** What each variable means; a new variable in config/index.ts needs a line here (the test says so). */
export const meanings: Record<keyof Config, string> = {
  TEMPORAL_ADDRESS: 'Temporal frontend, host:port',
  TEMPORAL_NAMESPACE: 'Temporal namespace',
  TEMPORAL_TASK_QUEUE: 'task queue of the worker',
  TEMPORAL_UI_URL: 'Temporal Web UI, for links printed by the CLI and the API',
  MONGODB_URI: 'MongoDB connection string, database included (FerretDB in development)',
  SMTP_URL: 'SMTP server for outgoing mail (Mailpit in development)',
  SMTP_POOL_SIZE: 'pooled SMTP connections (1-50)',
  MAIL_DELIVERY_LOOKUP_URL: 'Mailpit API that says whether it accepted a message (by Message-ID): a mail whose attempt died inside its SMTP transaction is then sent exactly once; unset: at most once, staff alerted (`npm start` sets it to its Mailpit)',
  MAIL_FROM: 'sender of every email',
  STAFF_MAIL_TO: 'staff mailbox for alerts (late board, escalated approval, rejected mail); unset: the address of `MAIL_FROM`',
  BOARD_MAIL_TO: 'board secretaries per country, `BE=ca-be@smart.coop,FR=ca-fr@smart.coop`; unset: the staff mailbox',
  PUBLIC_BASE_URL: 'base of the links in emails (the address members reach the API at)',
  API_HOST: 'interface the API listens on (0.0.0.0 in a container)',
  API_PORT: 'port of the API',
  DATA_DIR: 'folder for local state; `npm start` keeps its servers\' data and logs there',
  LINK_SECRET: 'HMAC key for emailed links and API-key hashing, at least 32 characters (`npm start` generates one into `.data/link-secret`)',
  WORKFLOW_BUNDLE_PATH: 'workflow bundle made by `worker/bundle.ts`; unset: the worker builds one in a child process at start, kept in `DATA_DIR/bundles` while the workflow sources are unchanged',
  WORKER_MAX_CACHED_WORKFLOWS: 'workflows the worker keeps in memory between tasks (bounds its RSS; an evicted one is replayed from its history)',
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 'workflow tasks the worker takes at once (one workflow thread runs them: more slots queue replays in memory and let tasks time out; a click holds its task during the membership write)',
  WORKER_WORKFLOW_THREADS: 'threads that run workflow code, sharing the cache (each one a V8 heap of its own)',
  LOG_LEVEL: 'fatal, error, warn, info, debug, trace or silent',
  LINK_RATE_LIMIT_PER_MINUTE: 'requests per minute one client may make on the link endpoints',
};

function defaultOf(variable: keyof Config): string {
  const parsed = configSchema.shape[variable].safeParse(undefined);
  if (!parsed.success) return '(required)';
  return parsed.data === undefined ? '(unset)' : `\`${String(parsed.data)}\``;
}

export function configTable(): string {
  const rows = configVariables.map((v) => `| \`${v}\` | ${defaultOf(v)} | ${meanings[v] ?? '(undocumented)'} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

if (require.main === module) console.log(configTable());
