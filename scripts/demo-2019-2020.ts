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
import { CATALOGS } from '../activities/mail/i18n';
import { eventually } from './stack/eventually';
import { CYCLE_DEADLINES, DEADLINE_PHASE, PHASES } from '../domain/types';

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

  // JSON answers of the api, read field by field by the play.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
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

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
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

  const existing = await api.send('cycle:exists', 'GET', `/admin/cycles/${c}`, { accept: [200, 404] });
  if (existing.status === 200) {
    api.log(`cycle ${c} exists already (an earlier run): continuing with it`);
  } else await api.send('cycle', 'POST', '/admin/cycles', {
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

  const started = await api.send('start', 'POST', `/admin/cycles/${c}/start`, { accept: [202, 409] });
  api.log(started.status === 202 ? `started: ${started.body.webUiUrl}` : 'started already');
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
    console.log('usage: SIP_API_KEY=<staff token> npx tsx scripts/demo-2019-2020.ts [--run [--minutes 1]] [--url URL] [--cycle ID]');
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
  // Without --run: dates a day ahead with the real spacing (the cycle then runs on its own
  // timers). With --run: the dates are bunched before the assemblies, --minutes from now.
  const base = buildEdition2019_2020({ cycleId, emailDomain: 'demo.smart-in-progress.example' });
  const play = args.has('run');
  const edition: Edition = play
    ? { ...base, ...compressedSchedule(base, new Date(Date.now() + Number(args.get('minutes') ?? 1) * 60_000)) }
    : demoEdition({ cycleId, emailDomain: 'demo.smart-in-progress.example', formationOpensAt: new Date(Math.ceil((Date.now() + DAY) / 60_000) * 60_000), compress: 1 });
  const t0 = Date.now();
  await loadEdition(api, edition);
  if (play) await runEdition(api, edition, new Inbox(String(process.env.MAILPIT_API_URL ?? 'http://127.0.0.1:8025').replace(/\/$/, '')));
  console.log(`demo: done in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${api.requests} requests`);
  console.log(`demo: timeline: npx tsx cli/main.ts cycle timeline ${cycleId}`);
  console.log(`demo: document: ${url}/admin/cycles/${cycleId}/consolidated/export?format=html&lang=fr`);
}

// ---------------------------------------------------------------------------------------------
// Playing the edition
// ---------------------------------------------------------------------------------------------

/**
 * A compressed calendar for playing the edition now: the cycle's dates bunched in the last
 * seconds before `end` (the BE assembly; FR a second later). Staff close each phase early, so a
 * date matters only if the play is still in its phase when it comes; while playing, staff extend
 * the dates ahead whenever they come too close (`keepRoom`); the assemblies cannot be brought
 * forward, so the play ends at the last assembly date.
 */
/** Seconds between the first date of the compressed calendar (formation opens) and the assemblies. */
const BUNCH_SECONDS = 8;

/** While playing, the assemblies stay at least KEEP_MIN seconds ahead (moved to KEEP_TO when closer). */
const KEEP_MIN = 35;
const KEEP_TO = 50;
const KEEP_MIN_LATE = 16;
const KEEP_TO_LATE = 20;
/** Room before mailing links, which expire with the deadline as it is when they are sent. */
const LINK_ROOM = 26;
/**
 * Room kept before each long step (seconds it may take on a busy machine): the background keeper
 * alone can lag behind when the machine is saturated by the step itself.
 */
const STEP_ROOM = { formation: 70, deliberation: 35, consolidation: 35 };

export function compressedSchedule(edition: Edition, end: Date): Pick<Edition, 'deadlines' | 'countries' | 'decisions'> {
  const at = (secondsBeforeEnd: number) => new Date(end.getTime() - secondsBeforeEnd * 1000).toISOString();
  const deadlines = {
    formationOpensAt: at(BUNCH_SECONDS),
    formationDeadline: at(7),
    submissionDeadline: at(6),
    approvalDeadline: at(5),
    publicReviewOpensAt: at(4),
    publicReviewClosesAt: at(3),
  };
  const countries = edition.countries.map((c) => ({
    ...c,
    boardDeadline: at(2),
    assemblyDate: c.country === 'BE' ? at(0) : at(-1),
  }));
  const later = new Date(end.getTime() + 180 * DAY).toISOString();
  const decisions = Object.fromEntries(
    Object.entries(edition.decisions).map(([country, list]) => [
      country,
      list.map((d) => (d.postponeTo?.kind === 'date' ? { ...d, postponeTo: { kind: 'date' as const, date: later } } : d)),
    ]),
  );
  return { deadlines, countries, decisions };
}

/** Reads the mails members receive (Mailpit's API) to use their links, as they would click them. */
export class Inbox {
  constructor(readonly mailpitUrl: string) {}

  /** The link of the newest mail to `address` whose subject is one of `template`'s (any language). */
  async link(address: string, template: 'moderator_invitation' | 'approval_request', timeoutMs = 60_000): Promise<string> {
    const subjects = Object.values(CATALOGS).map((c) => subjectPattern(c.mail[template].subject));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(`${this.mailpitUrl}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}&limit=50`);
      if (res.ok) {
        const page = (await res.json()) as { messages: { ID: string; Subject: string }[] };
        const found = page.messages.find((m) => subjects.some((re) => re.test(m.Subject)));
        if (found) {
          const message = (await (await fetch(`${this.mailpitUrl}/api/v1/message/${found.ID}`)).json()) as { Text: string };
          const token = /\/l\/([A-Za-z0-9_-]{20,})/.exec(message.Text)?.[1];
          if (token) return token;
        }
      }
      if (Date.now() > deadline) throw new Error(`no ${template} mail for ${address} in Mailpit`);
      await sleep(250);
    }
  }
}

function subjectPattern(template: string): RegExp {
  const parts = template.split(/\{\{[^}]+\}\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (not undefined/false); HTTP 404/409 (a workflow starting) count as "not yet". */
const until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> =>
  eventually(check, what, timeoutMs, { retryOn: (err) => err instanceof DemoError && [404, 409].includes(err.status) });

/** Runs `fn` over `items` with at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** What the play learns along the way (ids the workflows chose), for the next steps and for tests. */
export interface PlayState {
  onlineGroupId?: string;
  /** Consolidated recommendation id by planned title. */
  consolidatedByTitle: Map<string, string>;
  approvals?: { version: number; groupsAsked: number };
  projectIds: string[];
}

/** The steps of the play, each through the api alone (and the members' mails for their links). */
export function playSteps(api: DemoApi, edition: Edition, inbox: Inbox) {
  const c = edition.cycleId;
  const byKey = new Map(edition.groups.map((g) => [g.key, g]));
  const email = new Map(edition.members.map((m) => [m.id, m.email]));
  const state: PlayState = { consolidatedByTitle: new Map(), projectIds: [] };
  const groupId = (key: string) => (key === 'gender-online' ? state.onlineGroupId! : byKey.get(key)!.id);
  const status = (gid: string) => api.get(`status:${gid}`, `/admin/cycles/${c}/groups/${gid}/status`);
  /** Sends; while the workflow is still starting (409 "starting"), tries again. */
  const whenStarted = <T>(what: string, send: () => Promise<T>) =>
    until(what, async () => {
      try {
        return await send();
      } catch (err) {
        if (err instanceof DemoError && err.status === 409 && /starting/.test(JSON.stringify(err.body))) return false;
        throw err;
      }
    });
  const close = (phase: string) =>
    whenStarted(`close ${phase}`, () => api.send(`close:${phase}`, 'POST', `/admin/cycles/${c}/phases/${phase}/close`));
  const useLink = async (token: string, form: Record<string, string>) => {
    const res = await fetch(`${api.baseUrl}/l/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    if (res.status !== 200) throw new DemoError(`link ${form.action}`, res.status, await res.text());
  };
  const confirmed = async (gid: string): Promise<string[]> =>
    (await api.get<{ items: { memberId: string; confirmed: boolean }[] }>(`members:${gid}`, `/admin/cycles/${c}/groups/${gid}/members`)).items
      .filter((m) => m.confirmed)
      .map((m) => m.memberId);

  let extensions = 0;
  /**
   * Keeps room before the dates still ahead, so that a slow machine never lets a deadline overtake
   * the play: when the assemblies come closer than KEEP_MIN seconds, staff extend every date still
   * ahead by the same shift, the latest first (a date may not pass the next one).
   */
  let lock: Promise<void> = Promise.resolve();
  const keepRoom = (min = KEEP_MIN, to = KEEP_TO): Promise<void> => {
    const run = lock.then(() => keepRoomNow(min, to));
    lock = run.catch(() => undefined);
    return run;
  };
  const keepRoomNow = async (min: number, to: number): Promise<void> => {
    const view = await api.get(`room:${extensions}`, `/admin/cycles/${c}/status`);
    if (!view.countries?.length) return; // the cycle is still starting
    const phaseAt = PHASES.indexOf(view.phase);
    // From the public review on, only quick steps remain: keep less room, wait less at the end.
    if (phaseAt >= PHASES.indexOf('public_review') && min === KEEP_MIN) {
      min = KEEP_MIN_LATE;
      to = KEEP_TO_LATE;
    }
    const end = Math.min(...view.countries.map((x: { assemblyDate: string }) => Date.parse(x.assemblyDate)));
    if (end - Date.now() >= min * 1000) return;
    const shift = Math.ceil((Date.now() + to * 1000 - end) / 1000) * 1000;
    extensions += 1;
    const later = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
    const extend = async (step: string, path: string, until: string) => {
      // A date whose phase ended meanwhile has done its work: nothing to move.
      await api.send(`extend:${extensions}:${step}`, 'POST', path, { body: { until }, accept: [200, 409] });
    };
    const countries = [...view.countries].sort((a: { assemblyDate: string }, b: { assemblyDate: string }) => Date.parse(b.assemblyDate) - Date.parse(a.assemblyDate));
    for (const x of countries) {
      if (['not_started', 'starting', 'waiting_for_date'].includes(x.assembly)) {
        await extend(`${x.country}:assembly`, `/admin/cycles/${c}/countries/${x.country}/assemblyDate/extend`, later(x.assemblyDate));
      }
    }
    for (const x of countries) {
      if (!['completed', 'closed_with_undecided', 'finished'].includes(x.board)) {
        await extend(`${x.country}:board`, `/admin/cycles/${c}/countries/${x.country}/boardDeadline/extend`, later(x.boardDeadline));
      }
    }
    for (const name of [...CYCLE_DEADLINES].reverse()) {
      if (phaseAt <= PHASES.indexOf(DEADLINE_PHASE[name])) {
        await extend(name, `/admin/cycles/${c}/deadlines/${name}/extend`, later(view.deadlines[name]));
      }
    }
    api.log(`dates extended by ${shift / 1000} s (${view.phase}) to keep room for the play`);
  };
  let keeper: { stop: boolean; done: Promise<void> } | undefined;

  return {
    state,

    /** Starts keeping room before the dates (every few seconds) until `stopKeepingRoom`. */
    startKeepingRoom(): void {
      const k = { stop: false, done: Promise.resolve() };
      k.done = (async () => {
        while (!k.stop) {
          await keepRoom().catch((err) => api.log(`keeping room failed: ${(err as Error).message}`));
          for (let i = 0; i < 5 && !k.stop; i++) await sleep(300);
        }
      })();
      keeper = k;
    },

    /** Stops keeping room: from now on the assemblies come at their date. */
    async stopKeepingRoom(): Promise<void> {
      if (!keeper) return;
      keeper.stop = true;
      await keeper.done;
    },

    /** Formation opens; moderators accept by their mailed link; staff confirm the members who signed up. */
    async formGroups(): Promise<void> {
      // The longest step; and the invitations' links expire with the formation deadline as it is when they are sent.
      await keepRoom(STEP_ROOM.formation, STEP_ROOM.formation + 10);
      const t = Date.now();
      await close('preparation');
      const since = () => `${((Date.now() - t) / 1000).toFixed(1)} s`;
      await pool(edition.groups, 6, async (g) => {
        await useLink(await inbox.link(email.get(g.moderatorId)!, 'moderator_invitation'), { action: 'accept_moderator' });
      });
      api.log(`formation: moderators accepted by their mailed link (${since()})`);
      await pool(edition.groups, 6, async (g) => {
        for (const memberId of g.memberIds.filter((m) => !g.unconfirmedIds.includes(m))) {
          await whenStarted(`${g.key} started`, () =>
            api.send(`confirm:${g.id}:${memberId}`, 'POST', `/admin/cycles/${c}/groups/${g.id}/members/${memberId}/confirm`),
          );
        }
      });
      api.log(`formation: members confirmed by staff (${since()})`);
      await close('group_formation');
    },

    /** Deliberation: the online group, meetings, a local initiative, the submissions. */
    async deliberate(): Promise<void> {
      await keepRoom(STEP_ROOM.deliberation, STEP_ROOM.deliberation + 8);
      const gender = edition.themes.find((t) => t.code === 'gender')!;
      state.onlineGroupId = await until('online group', async () => {
        const themes = await api.get<{ items: { id: string; onlineGroupId?: string }[] }>('themes', `/admin/cycles/${c}/themes`);
        return themes.items.find((t) => t.id === gender.id)?.onlineGroupId;
      });
      const online = state.onlineGroupId;
      await api.send('joiners', 'POST', `/admin/cycles/${c}/groups/${online}/members`, { body: { memberIds: edition.onlineJoinerIds } });
      for (const memberId of edition.onlineJoinerIds) {
        await whenStarted('online group started', () =>
          api.send(`confirm:${online}:${memberId}`, 'POST', `/admin/cycles/${c}/groups/${online}/members/${memberId}/confirm`),
        );
      }
      api.log(`deliberation: online cross-border group ${online} with ${edition.onlineJoinerIds.length} joiners`);

      const confirmedBy = new Map<string, string[]>();
      for (const key of new Set(edition.meetings.flatMap((m) => [m.groupKey, ...m.jointWithGroupKeys]))) {
        confirmedBy.set(key, await confirmed(groupId(key)));
      }
      const origin = Date.parse(edition.deadlines.formationDeadline);
      await pool(edition.meetings.map((m, i) => ({ m, i })), 8, async ({ m, i }) => {
        const pool2 = [...confirmedBy.get(m.groupKey)!, ...m.jointWithGroupKeys.flatMap((k) => confirmedBy.get(k)!)];
        await api.send(`meeting:${i}`, 'POST', `/admin/cycles/${c}/groups/${groupId(m.groupKey)}/meetings`, {
          body: {
            startsAt: new Date(origin + m.dayOffset * DAY).toISOString(),
            mode: m.mode,
            jointWithGroupIds: m.jointWithGroupKeys.map(groupId),
            attendeeMemberIds: pool2.slice(0, m.attendees),
            guestCount: m.guestCount,
            ...(m.atOfficeId ? { officeId: m.atOfficeId } : {}),
            ...(m.notes ? { notes: m.notes } : {}),
          },
        });
      });
      api.log(`meetings: ${edition.meetings.length} recorded`);
      await keepRoom(STEP_ROOM.deliberation, STEP_ROOM.deliberation + 8);

      const brussels = byKey.get('brussels')!;
      await api.send('initiative:brussels', 'POST', `/admin/cycles/${c}/groups/${brussels.id}/initiatives`, {
        body: { title: 'Local cooperative-life committee', description: 'Members of the Brussels office meet monthly to follow the recommendations.', ownerMemberId: brussels.moderatorId },
      });

      await pool(Object.entries(edition.submissions), 8, async ([key, items]) => {
        await api.send(`submit:${key}`, 'POST', `/admin/cycles/${c}/groups/${groupId(key)}/submission`, { body: { items } });
      });
      api.log(`submissions: ${Object.keys(edition.submissions).length} groups (the sharing-economy group: none)`);
      await close('deliberation');
    },

    /** Consolidation: 57 originals into 53 recommendations with lineage; moderators approve by link. */
    async consolidate(): Promise<void> {
      await keepRoom(STEP_ROOM.consolidation, STEP_ROOM.consolidation + 8);
      const originals = await api.get<{ items: { id: string; groupId: string; position: number }[] }>('originals', `/admin/cycles/${c}/recommendations`);
      const originalId = (key: string, position: number) => {
        const found = originals.items.find((o) => o.groupId === groupId(key) && o.position === position);
        if (!found) throw new Error(`no original ${key}#${position}`);
        return found.id;
      };
      const create = async (step: string, key: string, position: number, countries: string[]): Promise<string> => {
        const original = edition.submissions[key][position - 1];
        const res = await api.send(step, 'POST', `/admin/cycles/${c}/consolidated`, {
          body: { fromRecommendationIds: [originalId(key, position)], wording: { title: original.title, text: original.text, context: original.context, countries } },
        });
        return res.body.id as string;
      };
      const splitDone = new Set<string>();
      for (const planned of edition.consolidation) {
        if (planned.number % 10 === 0) await keepRoom(STEP_ROOM.consolidation, STEP_ROOM.consolidation + 8);
        const step = `consolidate:${planned.number}`;
        const [first] = planned.sources;
        if (planned.relation === 'verbatim') {
          state.consolidatedByTitle.set(planned.title, await create(step, first.groupKey, first.position, planned.countries));
        } else if (planned.relation === 'reworded') {
          const id = await create(step, first.groupKey, first.position, planned.countries);
          await api.send(`${step}:reword`, 'PATCH', `/admin/cycles/${c}/consolidated/${id}`, { body: { title: planned.title, text: planned.text } });
          state.consolidatedByTitle.set(planned.title, id);
        } else if (planned.relation === 'merged') {
          const ids: string[] = [];
          for (const [i, s] of planned.sources.entries()) ids.push(await create(`${step}:${i}`, s.groupKey, s.position, planned.countries));
          const merged = await api.send(`${step}:merge`, 'POST', `/admin/cycles/${c}/consolidated/merge`, {
            body: { ids, wording: { title: planned.title, text: planned.text, context: planned.context, countries: planned.countries } },
          });
          state.consolidatedByTitle.set(planned.title, merged.body.id);
        } else {
          const key = `${first.groupKey}:${first.position}`;
          if (splitDone.has(key)) continue;
          splitDone.add(key);
          const parts = edition.consolidation.filter((p) => p.relation === 'split' && p.sources[0].groupKey === first.groupKey && p.sources[0].position === first.position);
          const id = await create(step, first.groupKey, first.position, planned.countries);
          const split = await api.send(`${step}:split`, 'POST', `/admin/cycles/${c}/consolidated/${id}/split`, {
            body: { parts: parts.map((p) => ({ title: p.title, text: p.text, countries: p.countries })) },
          });
          (split.body.items as { id: string; title: string }[]).forEach((d) => state.consolidatedByTitle.set(d.title, d.id));
        }
      }
      // Taken over twice by mistake, then withdrawn with its reason (kept for the trace).
      const duplicate = await create('consolidate:duplicate', 'lille', 1, ['FR']);
      await api.send('consolidate:withdraw', 'POST', `/admin/cycles/${c}/consolidated/${duplicate}/withdraw`, { body: { reason: 'duplicate of an existing recommendation' } });
      api.log(`consolidation: ${state.consolidatedByTitle.size} recommendations with lineage`);

      const days = (n: number) => new Date(Date.parse(edition.deadlines.publicReviewOpensAt) + n * DAY).toISOString();
      for (const n of [1, 2]) {
        await api.send(`videoconference:${n}`, 'POST', `/admin/cycles/${c}/videoconferences`, {
          body: {
            title: { nl: `Voorstelling van de aanbevelingen ${n}`, fr: `Présentation des recommandations ${n}` },
            startsAt: days(n * 3), durationMinutes: 90, joinUrl: `https://meet.smart-in-progress.example/review-${n}`,
          },
        });
      }

      await keepRoom(LINK_ROOM, LINK_ROOM + 10); // approval links expire with the approval deadline
      state.approvals = (await api.send('approvals', 'POST', `/admin/cycles/${c}/consolidated/approvals`)).body;
      const submitting = [...edition.groups.filter((g) => edition.submissions[g.key]).map((g) => ({ id: g.id, key: g.key, moderatorId: g.moderatorId }))];
      const onlineModerator = byKey.get('ghent')!.moderatorId; // the first group that fell back brings its moderator
      submitting.push({ id: state.onlineGroupId!, key: 'gender-online', moderatorId: onlineModerator });
      await pool(submitting, 4, async (g) => {
        await until(`${g.key} asked to approve`, async () => (await status(g.id)).approval.status === 'pending');
        const token = await inbox.link(email.get(g.moderatorId)!, 'approval_request');
        if (g.key === 'rennes') {
          await useLink(token, { action: 'request_change', comment: 'Our recommendation is about values, not only onboarding: please say so.' });
        } else {
          await useLink(token, { action: 'approve_consolidation' });
        }
      });
      // Rennes asked for a change: staff apply it and settle the approval.
      const rennes = byKey.get('rennes')!;
      await until('rennes change requested', async () => (await status(rennes.id)).approval.status === 'change_requested');
      await api.send('settle:rennes', 'POST', `/admin/cycles/${c}/groups/${rennes.id}/approval/resolve`, {
        body: { resolution: 'change_applied', note: 'Cooperative values now come first in the wording.' },
      });
      api.log('approvals: moderators approved by link; Rennes asked a change, settled by staff');
      await until('consolidation closed', async () => {
        try {
          const closed = await close('consolidation');
          api.log(`consolidation closed: now ${closed.body.phase}`);
          return true;
        } catch (err) {
          if (err instanceof DemoError && err.status === 409) return false; // approvals still settling
          throw err;
        }
      });
    },

    /** The public review is open (every member was invited); staff close it. */
    async review(): Promise<void> {
      await close('public_review');
    },

    /** Each board decides every recommendation in its scope (secretaries' keys when given). */
    async decide(): Promise<void> {
      for (const country of ['BE', 'FR'] as const) {
        await until(`${country} board open`, async () => (await api.get(`board:${country}`, `/admin/cycles/${c}/boards/${country}`)).status === 'deciding');
        const decisions = edition.decisions[country].map((d) => {
          const planned = edition.consolidation.find((p) => p.number === d.number)!;
          return {
            recommendationId: state.consolidatedByTitle.get(planned.title)!,
            outcome: d.outcome,
            motivation: { criteria: d.criteria, text: d.motivation },
            ...(d.newWording ? { newWording: d.newWording } : {}),
            ...(d.postponeTo ? { postponeTo: d.postponeTo } : {}),
          };
        });
        const key = api.keys[country] ?? api.keys.staff;
        // The first decision alone (as at a board meeting), the rest as one batch.
        await api.send(`decide:${country}:first`, 'POST', `/admin/cycles/${c}/boards/${country}/decisions`, { body: decisions[0], key });
        await api.send(`decide:${country}:rest`, 'POST', `/admin/cycles/${c}/boards/${country}/decisions/batch`, { body: { decisions: decisions.slice(1) }, key });
        api.log(`board ${country}: ${decisions.length} decisions`);
      }
    },

    /** Both assemblies vote once their date has come: BE en bloc, FR per recommendation. */
    async ratify(): Promise<void> {
      for (const planned of edition.assemblies) {
        const country = planned.country;
        const key = api.keys[country as 'BE' | 'FR'] ?? api.keys.staff;
        await until(`${country} assembly date`, async () => (await api.get(`assembly:${country}`, `/admin/cycles/${c}/assemblies/${country}`, key)).status === 'awaiting_result', 120_000);
        let body: Record<string, unknown>;
        if (planned.mode === 'en_bloc') {
          body = { mode: 'en_bloc', votes: planned.enBlocVote, nextThemes: planned.nextThemes };
        } else {
          const doc = await api.get<{ recommendations: { id: string; countries: string[]; title: string }[] }>('document', `/admin/cycles/${c}/consolidated`);
          const numberOf = new Map([...state.consolidatedByTitle.entries()].map(([title, id]) => [id, edition.consolidation.find((p) => p.title === title)!.number]));
          body = {
            mode: 'per_recommendation',
            items: doc.recommendations.filter((r) => r.countries.includes(country)).map((r) => ({ recommendationId: r.id, votes: planned.votes!(numberOf.get(r.id)!) })),
            nextThemes: planned.nextThemes,
          };
        }
        const res = await api.send(`ratify:${country}`, 'POST', `/admin/cycles/${c}/assemblies/${country}/result`, { body, key });
        api.log(`assembly ${country}: ${res.body.ratified} ratified, ${res.body.projectIds.length} projects`);
        state.projectIds.push(...res.body.projectIds);
      }
    },

    /** The cycle ends in follow-up; a project reports its first progress. */
    async followUp(): Promise<void> {
      await until('follow-up', async () => (await api.get('status', `/admin/cycles/${c}/status`)).phase === 'follow_up', 60_000).catch(async (err) => {
        // A completed cycle no longer answers queries: its projection says where it ended.
        const cycle = await api.get('cycle', `/admin/cycles/${c}`);
        if (cycle.projection.phase !== 'follow_up') throw err;
      });
      const first = state.projectIds[0];
      if (first) {
        await until(`project ${first} followed up`, async () => {
          await api.send(`progress:${first}`, 'POST', `/admin/projects/${first}/progress`, { body: { percent: 10, note: 'Working group set up with the HR team.' } });
          return true;
        });
      }
    },
  };
}

/** Plays the edition from formation to the assemblies (see the file header). */
export async function runEdition(api: DemoApi, edition: Edition, inbox: Inbox): Promise<PlayState> {
  const play = playSteps(api, edition, inbox);
  play.startKeepingRoom();
  try {
    await play.formGroups();
    await play.deliberate();
    await play.consolidate();
    await play.review();
    await play.decide();
  } finally {
    await play.stopKeepingRoom();
  }
  await play.ratify();
  await play.followUp();
  return play.state;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
