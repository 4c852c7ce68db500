import { z } from 'zod';

/**
 * Every setting of the api and the worker, read once from the environment at start.
 * The README's configuration table mirrors this schema; test/config keeps them in step.
 */
const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:7233');

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}` },
  );

const port = z.coerce.number({ message: 'a port number, 0 to 65535' }).int().min(0).max(65535);

export const configSchema = z.object({
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('smart-in-progress'),
  TEMPORAL_UI_URL: url(['http', 'https']).default('http://127.0.0.1:8233'),
  MONGODB_URI: url(['mongodb', 'mongodb+srv']).default('mongodb://127.0.0.1:27027/smart-in-progress'),
  SMTP_URL: url(['smtp', 'smtps']).default('smtp://127.0.0.1:1025'),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  /**
   * A Mailpit API that tells whether it accepted a message (by Message-ID): a mail whose attempt
   * died inside its SMTP transaction is then sent exactly once. Unset: at most once, staff alerted.
   */
  MAIL_DELIVERY_LOOKUP_URL: url(['http', 'https']).optional(),
  MAIL_FROM: z.string().min(3).default('Smart in Progress <participation@smart.coop>'),
  /** Where staff alerts go (late board, escalated approval, SMTP rejections); default: MAIL_FROM's address. */
  STAFF_MAIL_TO: z.email({ message: 'an email address' }).optional(),
  /** Board secretaries' mailboxes per country, `BE=ca-be@smart.coop,FR=ca-fr@smart.coop`; default: staff. */
  BOARD_MAIL_TO: z
    .string()
    .regex(/^[A-Z]{2}=[^\s,=@]+@[^\s,=@]+(,[A-Z]{2}=[^\s,=@]+@[^\s,=@]+)*$/, 'COUNTRY=address pairs separated by commas, e.g. BE=ca-be@smart.coop,FR=ca-fr@smart.coop')
    .optional(),
  PUBLIC_BASE_URL: url(['http', 'https']).default('http://127.0.0.1:3000'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  DATA_DIR: z.string().min(1).default('.data'),
  /** HMAC key for emailed links and API-key hashing; at least 32 characters. */
  LINK_SECRET: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -hex 32`)'),
  /**
   * Workflows the worker keeps in memory between tasks. The SDK's default grows with the heap
   * limit (thousands on a large machine, gigabytes of RSS with 1,000 groups); an evicted workflow
   * is replayed from its history on its next task, which our short histories make cheap.
   */
  /**
   * A workflow bundle made by `worker/bundle.ts`; unset: the worker builds one in a child process
   * at start (under DATA_DIR/bundles, reused while the workflow sources are unchanged).
   */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(10_000).default(150),
  /**
   * Workflow tasks the worker takes at once. One workflow thread runs them, so more slots only
   * queue tasks inside the worker: at Smart's whole size the SDK's 40 held up to 40 replays of
   * evicted groups at once (peak RSS 467 MB) and 416 tasks waited past the server's 10-s timeout
   * and were done again; 10 gave 381 MB, one expired task and the approvals in 670 s, not 850
   * (docs/README-bench.md, session 8). Clicks were as fast with 10 as with 40 (a click holds its
   * task during the membership write, a local activity). Raise it with WORKER_WORKFLOW_THREADS.
   */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(500).default(10),
  /**
   * Threads that run workflow code (the SDK's workflowThreadPoolSize; the cache is shared among
   * them). One by default: each thread is a V8 heap of its own (RSS).
   */
  WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Requests per minute that one client may make on the link endpoints. */
  LINK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
});

export type Config = z.infer<typeof configSchema>;

/** Thrown when an environment variable has a value the schema refuses; names each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; expected: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.expected}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment once at process start; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, so `FOO= npm start` falls back to the default.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '?');
        // Values are not echoed: some variables are secrets.
        return { variable, expected: present[variable] === undefined ? 'is required' : issue.message };
      }),
    );
  }
  return parsed.data;
}

/** The role mailboxes of the mail activities, from STAFF_MAIL_TO, BOARD_MAIL_TO and MAIL_FROM. */
export function roleMailboxes(config: Config): { staff: string; boardSecretary: Record<string, string> } {
  const fromAddress = /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
  const boardSecretary = Object.fromEntries(
    (config.BOARD_MAIL_TO ?? '').split(',').filter(Boolean).map((pair) => pair.split('=') as [string, string]),
  );
  return { staff: config.STAFF_MAIL_TO ?? fromAddress, boardSecretary };
}

/** The variable names the code reads, for the docker-compose consistency test. */
export const configVariables = Object.keys(configSchema.shape) as (keyof Config)[];
