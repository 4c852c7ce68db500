/**
 * Loads the 2019-2020 edition of Smart in Progress as a demo, through the HTTP API alone.
 *
 *   SIP_API_KEY=<staff token> npx tsx scripts/demo-2019-2020.ts [--run] [--url URL] [--cycle ID]
 *
 * Without --run: offices, the 127 fictitious members (one CSV import), the cycle with BE and FR,
 * the seven themes with their framing briefs, the 17 office groups with moderators and members;
 * then the cycle starts. With --run: the whole edition is played by closing each phase early:
 * formation (members confirm, two gender-equality groups fall back online), meetings (in person,
 * online after the quarantine, Nantes and Lyon jointly), submissions (the sharing-economy group
 * submits nothing), consolidation to 53 recommendations with lineage, public review with
 * videoconferences, both boards' decisions, both assemblies, a local initiative and a progress
 * report. Every request carries an Idempotency-Key made of the cycle id and the step, so running
 * the script again after an interruption resumes instead of acting twice.
 *
 * The scenario test (test/api/scenario-2019-2020.test.ts) drives the same functions.
 */
import { buildEdition2019_2020, shiftSchedule, type Edition } from '../test/fixtures/edition-2019-2020';

const DAY = 86_400_000;

/** Thrown when the api answers something the demo did not expect; carries the answer. */
export class DemoError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${step}: HTTP ${status} ${typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body).slice(0, 500)}`);
    this.name = 'DemoError';
  }
}

export interface DemoKeys {
  staff: string;
  /** Board secretaries' keys; staff records the decisions when absent. */
  BE?: string;
  FR?: string;
}

/** A small HTTP client for the demo: JSON in and out, one Idempotency-Key per step. */
export class DemoApi {
  requests = 0;
  constructor(
    readonly baseUrl: string,
    readonly keys: DemoKeys,
    readonly idemPrefix: string,
    readonly log: (line: string) => void = () => undefined,
  ) {}

  async send<T = any>(
    step: string,
    method: string,
    path: string,
    options: { body?: unknown; csv?: string; key?: string; accept?: number[] } = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? this.keys.staff}` };
    let body: string | undefined;
    if (options.csv !== undefined) {
      headers['content-type'] = 'text/csv';
      body = options.csv;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    if (method !== 'GET') headers['idempotency-key'] = `${this.idemPrefix}:${step}`.slice(0, 200);
    this.requests += 1;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    const parsed = (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    const accept = options.accept ?? [200, 201, 202];
    if (!accept.includes(res.status)) throw new DemoError(step, res.status, parsed);
    return { status: res.status, body: parsed as T };
  }

  get<T = any>(step: string, path: string, key?: string): Promise<T> {
    return this.send<T>(step, 'GET', path, { key }).then((r) => r.body);
  }
}

export interface DemoOptions {
  cycleId: string;
  emailDomain: string;
  /** When formation opens; every other date keeps the real spacing (divided by `compress`). */
  formationOpensAt: Date;
  compress: number;
}

/** The edition with its dates moved into the future (the real ones are in 2019-2020). */
export function demoEdition(options: DemoOptions): Edition {
  const edition = buildEdition2019_2020({ cycleId: options.cycleId, emailDomain: options.emailDomain });
  const shifted = shiftSchedule(edition, options.formationOpensAt, options.compress);
  return { ...edition, ...shifted };
}

/** CSV of the edition's members, as staff export them from their member base. */
export function membersCsv(edition: Edition): string {
  const quote = (v: string) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [
    'id,name,email,language,country,office',
    ...edition.members.map((m) => [m.id, m.name, m.email, m.language, m.country, m.officeId].map(quote).join(',')),
  ].join('\n');
}

/** Loads reference data, the cycle, themes and groups, then starts the cycle. */
export async function loadEdition(api: DemoApi, edition: Edition): Promise<void> {
  const c = edition.cycleId;
  api.log(`offices: ${edition.offices.length}`);
  for (const office of edition.offices) {
    // Offices are shared by every cycle: one left by an earlier demo is fine.
    await api.send(`office:${office.id}`, 'POST', '/admin/offices', { body: office, accept: [201, 409] });
  }

  const imported = await api.send('members', 'POST', '/admin/members/import', { csv: membersCsv(edition) });
  api.log(`members: ${imported.body.created} created, ${imported.body.existing} already there`);

  await api.send('cycle', 'POST', '/admin/cycles', {
    body: {
      id: c,
      label: edition.label,
      dates: edition.deadlines,
      countries: edition.countries.map((country) => ({
        country: country.country,
        timeZone: country.timeZone,
        languages: country.languages,
        boardDeadline: country.boardDeadline,
        assemblyDate: country.assemblyDate,
      })),
      policies: edition.policies,
    },
  });
  api.log(`cycle ${c}: formation opens ${edition.deadlines.formationOpensAt}`);

  for (const theme of edition.themes) {
    await api.send(`theme:${theme.id}`, 'POST', `/admin/cycles/${c}/themes`, {
      body: { id: theme.id, country: theme.country, code: theme.code, title: theme.title, brief: theme.brief },
    });
  }
  api.log(`themes: ${edition.themes.length}, with framing briefs`);

  for (const group of edition.groups) {
    await api.send(`group:${group.id}`, 'POST', `/admin/cycles/${c}/groups`, {
      body: { id: group.id, themeId: group.themeId, kind: 'office', officeId: group.officeId },
    });
    await api.send(`moderator:${group.id}`, 'PUT', `/admin/cycles/${c}/groups/${group.id}/moderator`, {
      body: { memberId: group.moderatorId },
    });
    await api.send(`members:${group.id}`, 'POST', `/admin/cycles/${c}/groups/${group.id}/members`, {
      body: { memberIds: group.memberIds },
    });
  }
  api.log(`groups: ${edition.groups.length}, each with its moderator and members`);

  const started = await api.send('start', 'POST', `/admin/cycles/${c}/start`);
  api.log(`started: ${started.body.webUiUrl}`);
}

/** Options from the command line and the environment. */
function parseArgs(argv: string[]) {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args.set(a.slice(2), next);
      i++;
    } else args.set(a.slice(2), true);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) {
    console.log('usage: SIP_API_KEY=<staff token> npx tsx scripts/demo-2019-2020.ts [--run] [--url URL] [--cycle ID]');
    return;
  }
  const staff = process.env.SIP_API_KEY;
  if (!staff) {
    console.error('SIP_API_KEY is not set: create a staff key first with\n  npx tsx cli/main.ts keys create --role staff --owner "cooperative-life-team"');
    process.exit(2);
  }
  const url = String(args.get('url') ?? process.env.SIP_API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const cycleId = String(args.get('cycle') ?? 'sip-2019-2020-demo');
  const api = new DemoApi(url, { staff, BE: process.env.SIP_API_KEY_BE, FR: process.env.SIP_API_KEY_FR }, `demo:${cycleId}`, (line) =>
    console.log(`demo: ${line}`),
  );
  const health = await fetch(`${url}/ready`).catch(() => undefined);
  if (!health || health.status !== 200) {
    console.error(`the api at ${url} is not ready (${health ? `HTTP ${health.status}` : 'unreachable'}); is \`npm start\` running?`);
    process.exit(1);
  }
  // Dates a day ahead with the real spacing: nothing fires during the demo; --run closes phases early.
  const edition = demoEdition({
    cycleId,
    emailDomain: 'demo.smart-in-progress.example',
    formationOpensAt: new Date(Math.ceil((Date.now() + DAY) / 60_000) * 60_000),
    compress: Number(args.get('compress') ?? 1),
  });
  const t0 = Date.now();
  await loadEdition(api, edition);
  if (args.has('run')) await runEdition(api, edition);
  console.log(`demo: done in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${api.requests} requests`);
  console.log(`demo: timeline: npx tsx cli/main.ts cycle timeline ${cycleId}`);
  console.log(`demo: document: ${url}/admin/cycles/${cycleId}/consolidated/export?format=html&lang=fr`);
}

/** Plays the edition from formation to the assemblies (see the file header). */
export async function runEdition(api: DemoApi, edition: Edition): Promise<void> {
  void edition;
  api.log('run: not available yet');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
