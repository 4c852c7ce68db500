/**
 * The operator command line: `npx tsx cli/main.ts <command>`.
 *
 *   keys create --role staff --owner "cooperative-life-team"    the first staff key (printed once)
 *   keys list | keys revoke <keyId>
 *   cycles list [--phase deliberation] [--kind group] [--cycle <id>] [--status <s>]
 *   cycle describe <cycleId> | cycle timeline <cycleId> | cycle history <cycleId> --json
 *   members import <file.csv>                                   with progress on the console
 *
 * It talks to MongoDB and Temporal directly (the same use cases as the /ops routes), so it works
 * when the api is down, needs no API key (creating the first one is its job), and runs wherever
 * the worker's configuration does.
 */
import { Command, Option } from 'commander';
import Table from 'cli-table3';
import mongoose, { type Connection as MongoConnection } from 'mongoose';
import { Client, Connection } from '@temporalio/client';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { devDataDir } from '../scripts/stack/dev-settings';
import { createModels, syncIndexes, type Models } from '../domain/models';
import { PHASES } from '../domain/types';
import { createApiKey, ROLES, type Role } from '../api/auth';
import { recordAudit } from '../api/audit';
import {
  cycleTimeline, describeWorkflow, listWorkflows, rawHistory, workflowTimeline, type OpsDeps, type TimelineEntry,
} from '../api/usecases/ops';
import { importMembersCsv } from '../activities/storage/members';
import { cycleWorkflowId } from '../domain/ids';
import { webUiLink } from '../api/temporal';

/**
 * On the embedded stack, `npm start` keeps LINK_SECRET in <DATA_DIR>/link-secret; the CLI reads
 * it there when the environment has none, so `keys create` hashes with the API's key.
 */
function withDevLinkSecret(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.LINK_SECRET) return env;
  const file = path.join(devDataDir(env), 'link-secret');
  return existsSync(file) ? { ...env, LINK_SECRET: readFileSync(file, 'utf8').trim() } : env;
}

interface Session {
  config: Config;
  models: Models;
  mongo: MongoConnection;
  temporal?: { connection: Connection; client: Client };
}

async function open(withTemporal: boolean): Promise<Session> {
  const config = loadConfig(withDevLinkSecret(process.env));
  const mongo = await mongoose
    .createConnection(config.MONGODB_URI, { serverSelectionTimeoutMS: 5000 })
    .asPromise()
    .catch((err: Error) => {
      throw new CliError(`cannot reach MongoDB at ${redact(config.MONGODB_URI)}: ${err.message}`);
    });
  const models = createModels(mongo);
  let temporal: Session['temporal'];
  if (withTemporal) {
    const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: 5000 }).catch((err: Error) => {
      throw new CliError(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${err.message}`);
    });
    temporal = { connection, client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }) };
  }
  return { config, models, mongo, temporal };
}

async function close(session: Session): Promise<void> {
  await session.temporal?.connection.close();
  await session.mongo.close();
}

function ops(session: Session): OpsDeps {
  if (!session.temporal) throw new Error('temporal not opened');
  return {
    models: session.models,
    temporalClient: session.temporal.client,
    uiUrl: session.config.TEMPORAL_UI_URL,
    namespace: session.config.TEMPORAL_NAMESPACE,
  };
}

class CliError extends Error {}

function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

function table(head: string[], rows: (string | number | undefined)[][], colWidths?: number[]): string {
  const t = new Table({ head, style: { head: [], border: [] }, wordWrap: true, wrapOnWordBoundary: true, ...(colWidths ? { colWidths } : {}) });
  for (const row of rows) t.push(row.map((cell) => (cell === undefined ? '' : String(cell))));
  return t.toString();
}

function when(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

/** Runs one command with its connections, and turns known failures into one line and exit 1. */
function action<A extends unknown[]>(withTemporal: boolean, fn: (session: Session, ...args: A) => Promise<void>) {
  return async (...args: A) => {
    let session: Session | undefined;
    try {
      session = await open(withTemporal);
      await fn(session, ...args);
    } catch (err) {
      const e = err as Error & { code?: string; fields?: unknown };
      if (err instanceof CliError) console.error(`error: ${e.message}`);
      else if (e.name === 'ConfigError') console.error(e.message);
      else if (e.name === 'WorkflowNotFoundError') console.error(`error: ${e.message}`);
      else if (e.name === 'ValidationError') {
        console.error(`error: ${e.message}`);
        const fields = (err as { details?: { fields?: { path: string; message: string }[] } }).details?.fields ?? [];
        if (fields.length) console.error(table(['where', 'problem'], fields.slice(0, 200).map((f) => [f.path, f.message])));
      } else console.error(`error: ${e.message}`);
      process.exitCode = 1;
    } finally {
      if (session) await close(session).catch(() => undefined);
    }
  };
}

const program = new Command()
  .name('sip')
  .description('Smart in Progress: operator command line (MongoDB and Temporal from the environment, as the worker)')
  .showHelpAfterError();

// --- keys -------------------------------------------------------------------------------------
const keys = program.command('keys').description('API keys (only a hash of each secret is stored)');
keys
  .command('create')
  .description('create an API key and print its token once')
  .addOption(new Option('--role <role>', 'the key’s role').choices([...ROLES]).makeOptionMandatory())
  .requiredOption('--owner <label>', 'who holds it, e.g. "cooperative-life-team" (shown in the audit trail)')
  .option('--country <code>', 'board secretaries: their country, e.g. BE')
  .action(
    action(false, async (s, opts: { role: Role; owner: string; country?: string }) => {
      if (opts.role === 'board_secretary' && !/^[A-Z]{2}$/.test(opts.country ?? '')) {
        throw new CliError('a board secretary key needs --country, e.g. --country BE');
      }
      if (opts.role !== 'board_secretary' && opts.country) throw new CliError('only board secretary keys have a country');
      await syncIndexes(s.models);
      const { key, token } = await createApiKey(s.models, s.config.LINK_SECRET, opts);
      await recordAudit(s.models, {
        action: 'key.create',
        actor: { kind: 'system', id: 'cli' },
        subject: key._id,
        details: { role: key.role, country: key.country, owner: key.owner },
      });
      console.log(table(['key id', 'role', 'country', 'owner'], [[key._id, key.role, key.country, key.owner]]));
      console.log('\nToken (shown once; store it now):\n');
      console.log(`  ${token}\n`);
      console.log(`Use it as:  Authorization: Bearer ${token.slice(0, 12)}…`);
    }),
  );
keys
  .command('list')
  .description('list API keys')
  .action(
    action(false, async (s) => {
      const list = await s.models.ApiKey.find({}).sort({ createdAt: 1 }).lean();
      console.log(
        table(
          ['key id', 'role', 'country', 'owner', 'created', 'revoked'],
          list.map((k) => [k._id, k.role, k.country, k.owner, when(k.createdAt.toISOString()), when(k.revokedAt?.toISOString())]),
        ),
      );
    }),
  );
keys
  .command('revoke <keyId>')
  .description('revoke an API key at once')
  .action(
    action(false, async (s, keyId: string) => {
      const key = await s.models.ApiKey.findById(keyId).lean();
      if (!key) throw new CliError(`no key ${keyId}`);
      await s.models.ApiKey.updateOne({ _id: keyId, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
      await recordAudit(s.models, { action: 'key.revoke', actor: { kind: 'system', id: 'cli' }, subject: keyId });
      console.log(`revoked ${keyId} (${key.role}, ${key.owner})`);
    }),
  );

// --- cycles and workflows -----------------------------------------------------------------------
program
  .command('cycles')
  .description('cycles and their workflows')
  .command('list')
  .description('list workflows by kind, phase and status (Temporal visibility)')
  .addOption(new Option('--kind <kind>', 'what to list').choices(['cycle', 'group', 'board', 'assembly', 'project']).default('cycle'))
  .addOption(new Option('--phase <phase>', 'cycle phase').choices([...PHASES]))
  .option('--status <status>', 'group / board / assembly / project status, e.g. active')
  .option('--cycle <cycleId>', 'only this cycle’s workflows')
  .option('--limit <n>', 'at most this many', '100')
  .action(
    action(true, async (s, opts: { kind: 'cycle'; phase?: string; status?: string; cycle?: string; limit: string }) => {
      const { query, items } = await listWorkflows(ops(s), {
        kind: opts.kind, phase: opts.phase, status: opts.status, cycleId: opts.cycle, limit: Number(opts.limit) || 100,
      });
      console.log(`query: ${query}`);
      console.log(
        table(
          ['workflow id', 'status', 'phase', 'sip status', 'started', 'closed', 'events'],
          items.map((w) => [
            w.workflowId, w.status, w.searchAttributes.SipPhase, w.searchAttributes.SipStatus, when(w.startTime), when(w.closeTime), w.historyLength,
          ]),
        ),
      );
      if (opts.kind === 'cycle') {
        const started = new Set(items.map((i) => i.workflowId));
        const drafts = (await s.models.Cycle.find({}, { label: 1, status: 1 }).lean()).filter((c) => !started.has(cycleWorkflowId(c._id)));
        if (drafts.length) {
          console.log('\nnot (yet) in Temporal:');
          console.log(table(['cycle id', 'label', 'status'], drafts.map((c) => [c._id, c.label, c.status])));
        }
      }
      if (items[0]) console.log(`\nWeb UI: ${items[0].webUiUrl.replace(/\/workflows\/.*$/, '/workflows')}`);
    }),
  );

const cycle = program.command('cycle').description('one cycle');
cycle
  .command('describe <cycleId>')
  .description('configuration, phase, pending work and live status of a cycle')
  .option('--workflow <workflowId>', 'describe this workflow instead (a group, board, assembly or project)')
  .action(
    action(true, async (s, cycleId: string, opts: { workflow?: string }) => {
      const config = await s.models.Cycle.findById(cycleId).lean();
      if (!config && !opts.workflow) throw new CliError(`no cycle ${cycleId}`);
      if (config) {
        console.log(
          table(
            ['cycle', 'label', 'status', 'projected phase', 'since'],
            [[config._id, config.label, config.status, config.projection.phase, when(config.projection.phaseEnteredAt?.toISOString())]],
          ),
        );
        const deadlines = config.projection.deadlines ?? config.deadlines;
        console.log(table(['deadline', 'at (UTC)'], Object.entries(deadlines).map(([k, v]) => [k, when(v)])));
        console.log(
          table(
            ['country', 'time zone', 'board deadline', 'assembly date'],
            config.countries.map((c) => [c.country, c.timeZone, when(c.boardDeadline), when(c.assemblyDate)]),
          ),
        );
      }
      const workflowId = opts.workflow ?? cycleWorkflowId(cycleId);
      const d = await describeWorkflow(ops(s), workflowId);
      console.log(
        table(
          ['workflow', 'type', 'status', 'started', 'closed', 'events'],
          [[d.workflowId, d.type, d.status, when(d.startTime), when(d.closeTime), d.historyLength]],
        ),
      );
      if (d.pendingActivities.length) {
        console.log(table(['pending activity', 'attempt', 'state', 'last failure'], d.pendingActivities.map((a) => [a.activityType, a.attempt, a.state, a.lastFailure])));
      }
      if (d.pendingChildren.length) console.log(table(['child workflow', 'type'], d.pendingChildren.map((c) => [c.workflowId, c.type])));
      if (d.live !== undefined) console.log(`live status:\n${JSON.stringify(d.live, null, 2)}`);
      console.log(`Web UI: ${d.webUiUrl}`);
    }),
  );
cycle
  .command('timeline <cycleId>')
  .description('phases, deadlines, decisions with their actor, mails: the cycle and its children, merged by time')
  .option('--no-children', 'only the cycle workflow itself')
  .option('--workflow <workflowId>', 'the timeline of this one workflow instead')
  .option('--verbose', 'every activity, not only mails and failures')
  .option('--json', 'print JSON instead of a table')
  .action(
    action(true, async (s, cycleId: string, opts: { children: boolean; workflow?: string; verbose?: boolean; json?: boolean }) => {
      let entries: TimelineEntry[];
      let workflows: { workflowId: string; webUiUrl: string }[];
      if (opts.workflow) {
        entries = await workflowTimeline(ops(s), opts.workflow, { verbose: opts.verbose });
        workflows = [{ workflowId: opts.workflow, webUiUrl: webUiLink(s.config.TEMPORAL_UI_URL, s.config.TEMPORAL_NAMESPACE, opts.workflow) }];
      } else {
        ({ entries, workflows } = await cycleTimeline(ops(s), cycleId, { children: opts.children, verbose: opts.verbose }));
      }
      if (opts.json) {
        console.log(JSON.stringify({ workflows, entries }, null, 2));
        return;
      }
      const prefix = `cycle:${cycleId}`;
      console.log(
        table(
          ['at (UTC)', 'workflow', 'what', 'summary', 'actor'],
          entries.map((e) => [
            when(e.at),
            e.workflowId ? (e.workflowId === prefix ? 'cycle' : e.workflowId.replace(`${prefix}:`, '')) : '',
            e.kind,
            e.summary,
            e.actor?.label,
          ]),
          // Wide enough to read, narrow enough for a terminal (long summaries wrap).
          [22, 24, 20, Math.max(40, (process.stdout.columns ?? 160) - 103), 30],
        ),
      );
      console.log(table(['workflow', 'Web UI'], workflows.map((w) => [w.workflowId, w.webUiUrl])));
    }),
  );
cycle
  .command('history <cycleId>')
  .description('the raw Temporal history (JSON) of the cycle workflow, or of --workflow')
  .option('--workflow <workflowId>', 'another workflow of the cycle, e.g. cycle:<id>:board:BE')
  .option('--json', 'JSON output (the only format; kept for clarity)')
  .action(
    action(true, async (s, cycleId: string, opts: { workflow?: string }) => {
      process.stdout.write(`${await rawHistory(ops(s), opts.workflow ?? cycleWorkflowId(cycleId))}\n`);
    }),
  );

// --- members ----------------------------------------------------------------------------------
program
  .command('members')
  .description('members')
  .command('import <file>')
  .description('import members from a CSV file (name,email,language,country[,office][,id]); all or nothing')
  .action(
    action(false, async (s, file: string) => {
      const csv = readFileSync(file, 'utf8');
      await syncIndexes(s.models);
      const started = Date.now();
      const report = await importMembersCsv(s.models, csv, (p) => {
        process.stderr.write(`\r${p.stage}: ${p.done}/${p.total}   `);
      });
      process.stderr.write('\n');
      await recordAudit(s.models, {
        action: 'member.import',
        actor: { kind: 'system', id: 'cli' },
        details: { rows: report.rows, created: report.created, existing: report.existing, file },
      });
      console.log(table(['rows', 'created', 'already registered', 'seconds'], [[report.rows, report.created, report.existing, ((Date.now() - started) / 1000).toFixed(1)]]));
    }),
  );

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
});
