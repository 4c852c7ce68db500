/**
 * A generated edition of Smart in Progress at European size, deterministic for a seed:
 * 100,000 members in 9 countries (each with its board and assembly), 1,000 office groups on the
 * countries' themes, 5,000 submitted recommendations and a consolidated document built from them
 * with lineage (verbatim, reworded, merged, split). Divide everything by `divisor` for a smaller
 * edition (the bench's quick size uses 50).
 *
 * What is written to MongoDB up front (writeReference): the cycle's configuration (status draft:
 * the cycle workflow starts it), offices, themes with briefs, members, groups with their
 * moderators, memberships, and the public review's videoconferences. What the run feeds through
 * the product (plans): the groups' submissions (updates on the group workflows), the
 * consolidation (buildConsolidated, once the originals are stored), board decisions and assembly
 * results. Members never appear in workflow inputs: ids only.
 *
 *   npx tsx bench/generate-edition.ts [--divisor 50] [--json]   prints the edition's counts
 */
import type { Models, ConsolidatedDoc, RecommendationDoc } from '../domain/models';
import type {
  BoardOutcome, CountrySchedule, CycleDeadlines, CyclePolicies, DecisionCriterion, Language, LineageRelation,
} from '../domain/types';
import { DECISION_CRITERIA } from '../domain/types';

export interface CountrySpec {
  country: string;
  timeZone: string;
  languages: Language[];
  /** Share of the members. */
  weight: number;
  cities: string[];
}

/** Smart's European countries; weights roughly as its membership (Belgium and France first). */
export const COUNTRIES: CountrySpec[] = [
  { country: 'BE', timeZone: 'Europe/Brussels', languages: ['nl', 'fr'], weight: 0.36, cities: ['Brussels', 'Antwerp', 'Ghent', 'Liège', 'Charleroi', 'Namur', 'Leuven', 'Mons', 'Bruges', 'Hasselt', 'Kortrijk', 'Arlon'] },
  { country: 'FR', timeZone: 'Europe/Paris', languages: ['fr'], weight: 0.28, cities: ['Paris', 'Lyon', 'Nantes', 'Lille', 'Marseille', 'Bordeaux', 'Toulouse', 'Rennes', 'Grenoble', 'Montpellier', 'Strasbourg', 'Rouen'] },
  { country: 'NL', timeZone: 'Europe/Amsterdam', languages: ['nl'], weight: 0.06, cities: ['Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven'] },
  { country: 'DE', timeZone: 'Europe/Berlin', languages: ['en'], weight: 0.06, cities: ['Berlin', 'Hamburg', 'Cologne', 'Munich'] },
  { country: 'ES', timeZone: 'Europe/Madrid', languages: ['en'], weight: 0.06, cities: ['Madrid', 'Barcelona', 'Valencia', 'Seville'] },
  { country: 'IT', timeZone: 'Europe/Rome', languages: ['en'], weight: 0.06, cities: ['Milan', 'Rome', 'Turin', 'Bologna'] },
  { country: 'AT', timeZone: 'Europe/Vienna', languages: ['en'], weight: 0.04, cities: ['Vienna', 'Graz', 'Linz'] },
  { country: 'SE', timeZone: 'Europe/Stockholm', languages: ['en'], weight: 0.04, cities: ['Stockholm', 'Gothenburg', 'Malmö'] },
  { country: 'HU', timeZone: 'Europe/Budapest', languages: ['en'], weight: 0.04, cities: ['Budapest', 'Debrecen', 'Szeged'] },
];

const THEMES: { code: string; title: { nl: string; fr: string; en: string } }[] = [
  { code: 'gender-equality', title: { nl: 'Gendergelijkheid', fr: 'Égalité de genre', en: 'Gender equality' } },
  { code: 'ecological-transition', title: { nl: 'Ecologische transitie', fr: 'Transition écologique', en: 'Ecological transition' } },
  { code: 'sharing-economy', title: { nl: 'Deeleconomie', fr: 'Économie du partage', en: 'Sharing economy' } },
  { code: 'governance', title: { nl: 'Bestuur', fr: 'Gouvernance', en: 'Governance' } },
  { code: 'social-protection', title: { nl: 'Sociale bescherming', fr: 'Protection sociale', en: 'Social protection' } },
  { code: 'digital-tools', title: { nl: 'Digitale tools', fr: 'Outils numériques', en: 'Digital tools' } },
  { code: 'mutualisation', title: { nl: 'Mutualisering', fr: 'Mutualisation', en: 'Mutualisation' } },
];

export interface EditionSize {
  members: number;
  groups: number;
  recommendations: number;
  /** Share of members in a group (Smart: more than 20,000 active of about 90,000). */
  activeShare: number;
  /** Share of groups that stay below the minimum size (they fall back to the online group). */
  undersizedShare: number;
  /** Share of groups that submit nothing. */
  silentShare: number;
  videoconferences: number;
}

export function editionSize(divisor = 1): EditionSize {
  return {
    members: Math.round(100_000 / divisor),
    groups: Math.max(9, Math.round(1_000 / divisor)),
    recommendations: Math.max(18, Math.round(5_000 / divisor)),
    activeShare: 0.22,
    undersizedShare: 0.03,
    silentShare: 0.04,
    videoconferences: 4,
  };
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export interface GeneratedGroup {
  groupId: string;
  country: string;
  themeId: string;
  officeId: string;
  moderatorMemberId: string;
  memberIds: string[];
  /** Below the cycle's minimum size at the formation deadline. */
  undersized: boolean;
  /** Submits nothing by the deadline. */
  silent: boolean;
  /** The recommendations it submits (empty when silent or undersized). */
  submission: { title: string; text: string; context: string }[];
}

export interface ConsolidationOp {
  relation: LineageRelation;
  /** Indexes into the originals (by stored order). */
  from: number[];
  /** How many consolidated recommendations it makes (2 for a split). */
  into: number;
}

export interface Edition {
  cycleId: string;
  label: string;
  size: EditionSize;
  countries: CountrySchedule[];
  deadlines: CycleDeadlines;
  policies: CyclePolicies;
  offices: { _id: string; city: string; country: string }[];
  themes: { _id: string; country: string; code: string; title: { nl: string; fr: string; en: string } }[];
  members: { _id: string; name: string; email: string; language: Language; country: string; officeId: string }[];
  groups: GeneratedGroup[];
  videoconferenceIds: string[];
  emailDomain: string;
}

export interface GenerateOptions {
  divisor?: number;
  cycleId?: string;
  /** Workflow time when the cycle starts (the time-skipping server's clock, i.e. now). */
  start?: Date;
  seed?: number;
  emailDomain?: string;
  /** Only these countries (default: all nine). */
  countries?: string[];
  /** Overrides of the sizes (the fault drills use a handful of groups). */
  size?: Partial<EditionSize>;
  /** The schedule in units from the start (default: days, as below). */
  schedule?: Partial<Schedule>;
  /** Length of a schedule unit in ms (default one day; the drills use seconds). */
  unitMs?: number;
  policies?: Partial<CyclePolicies>;
}

export interface Schedule {
  formationOpensAt: number;
  formationDeadline: number;
  submissionDeadline: number;
  approvalDeadline: number;
  publicReviewOpensAt: number;
  publicReviewClosesAt: number;
  /** Board deadline and assembly date of the first country; the others `countryStep` later each. */
  boardDeadline: number;
  assemblyDate: number;
  countryStep: number;
}

export const DEFAULT_SCHEDULE: Schedule = {
  formationOpensAt: 1,
  formationDeadline: 45,
  submissionDeadline: 150,
  approvalDeadline: 180,
  publicReviewOpensAt: 190,
  publicReviewClosesAt: 220,
  boardDeadline: 250,
  assemblyDate: 270,
  countryStep: 1,
};

const DAY = 86_400_000;

export function generateEdition(options: GenerateOptions = {}): Edition {
  const divisor = options.divisor ?? 1;
  const size = { ...editionSize(divisor), ...options.size };
  const rand = prng(options.seed ?? 2026);
  const cycleId = options.cycleId ?? `europe${pad(Math.floor(rand() * 1e6), 6)}`;
  const start = (options.start ?? new Date()).getTime();
  const unit = options.unitMs ?? DAY;
  const at = (units: number) => new Date(start + units * unit).toISOString();
  const emailDomain = options.emailDomain ?? 'europe.bench.example';
  const sc = { ...DEFAULT_SCHEDULE, ...options.schedule };
  const COUNTRY_SPECS = options.countries ? COUNTRIES.filter((c) => options.countries!.includes(c.country)) : COUNTRIES;
  const weightSum = COUNTRY_SPECS.reduce((a, c) => a + c.weight, 0);
  const weightOf = (c: CountrySpec) => c.weight / weightSum;

  const deadlines: CycleDeadlines = {
    formationOpensAt: at(sc.formationOpensAt),
    formationDeadline: at(sc.formationDeadline),
    submissionDeadline: at(sc.submissionDeadline),
    approvalDeadline: at(sc.approvalDeadline),
    publicReviewOpensAt: at(sc.publicReviewOpensAt),
    publicReviewClosesAt: at(sc.publicReviewClosesAt),
  };
  const countries: CountrySchedule[] = COUNTRY_SPECS.map((c, i) => ({
    country: c.country,
    timeZone: c.timeZone,
    languages: c.languages,
    boardDeadline: at(sc.boardDeadline + i * sc.countryStep),
    assemblyDate: at(sc.assemblyDate + i * sc.countryStep),
  }));
  const policies: CyclePolicies = {
    minGroupSize: 5,
    undersizedGroup: 'online_fallback',
    silenceAtApprovalDeadline: 'tacit_approval',
    reminderOffsetsDays: [14, 3],
    progressRequestEveryDays: 90,
    ...options.policies,
  };

  const offices: Edition['offices'] = [];
  for (const c of COUNTRY_SPECS) {
    for (const city of c.cities) offices.push({ _id: `${cycleId}-o-${c.country.toLowerCase()}-${offices.length}`, city, country: c.country });
  }
  const themes: Edition['themes'] = [];
  for (const c of COUNTRY_SPECS) {
    for (const t of THEMES) themes.push({ _id: `${cycleId}-t-${c.country.toLowerCase()}-${t.code}`, country: c.country, code: t.code, title: t.title });
  }

  // Members by country weight; language from the country (Belgium alternates nl and fr).
  const members: Edition['members'] = [];
  const byCountry = new Map<string, string[]>();
  const firstNames = ['Anna', 'Bram', 'Chloé', 'Dries', 'Elif', 'Farid', 'Greet', 'Hugo', 'Inès', 'Jonas', 'Katia', 'Lucas', 'Mira', 'Noah', 'Olga', 'Pieter', 'Rania', 'Sven', 'Tess', 'Youssef'];
  const lastNames = ['Peeters', 'Dubois', 'Janssens', 'Martin', 'Maes', 'Bernard', 'Claes', 'Lefebvre', 'Wouters', 'Moreau', 'De Smet', 'Laurent', 'Novak', 'Rossi', 'García', 'Müller', 'Nagy', 'Berg', 'Huber', 'Visser'];
  let m = 0;
  COUNTRY_SPECS.forEach((c, ci) => {
    const count = ci === COUNTRY_SPECS.length - 1 ? size.members - m : Math.round(size.members * weightOf(c));
    const ids: string[] = [];
    const countryOffices = offices.filter((o) => o.country === c.country);
    for (let i = 0; i < count; i++, m++) {
      const _id = `${cycleId}-m${pad(m, 6)}`;
      members.push({
        _id,
        name: `${firstNames[m % firstNames.length]} ${lastNames[Math.floor(m / firstNames.length) % lastNames.length]}`,
        email: `m${pad(m, 6)}@${emailDomain}`,
        language: c.languages[i % c.languages.length],
        country: c.country,
        officeId: countryOffices[i % countryOffices.length]._id,
      });
      ids.push(_id);
    }
    byCountry.set(c.country, ids);
  });

  // Groups by country weight: an office group on one of the country's themes; active members in them.
  const groups: GeneratedGroup[] = [];
  let g = 0;
  let recsLeft = size.recommendations;
  COUNTRY_SPECS.forEach((c, ci) => {
    const count = ci === COUNTRY_SPECS.length - 1 ? size.groups - g : Math.max(1, Math.round(size.groups * weightOf(c)));
    const pool = byCountry.get(c.country)!;
    const active = pool.slice(0, Math.round(pool.length * size.activeShare));
    const countryOffices = offices.filter((o) => o.country === c.country);
    const countryThemes = themes.filter((t) => t.country === c.country);
    const perGroup = Math.max(1, Math.floor(active.length / count));
    for (let i = 0; i < count; i++, g++) {
      const memberIds = active.slice(i * perGroup, (i + 1) * perGroup);
      const undersized = rand() < size.undersizedShare;
      const silent = !undersized && rand() < size.silentShare;
      groups.push({
        groupId: `${cycleId}-g${pad(g, 4)}`,
        country: c.country,
        themeId: countryThemes[i % countryThemes.length]._id,
        officeId: countryOffices[i % countryOffices.length]._id,
        // Undersized groups keep only a few members (below the minimum of 5).
        memberIds: undersized ? memberIds.slice(0, 3) : memberIds,
        moderatorMemberId: memberIds[0],
        undersized,
        silent,
        submission: [],
      });
    }
  });
  // Members join the groups of their own office (the office is where a group meets): a group's
  // members belong to its office; members in no group keep their office.
  const memberById = new Map(members.map((x) => [x._id, x]));
  for (const grp of groups) for (const id of grp.memberIds) memberById.get(id)!.officeId = grp.officeId;

  // 5,000 recommendations over the submitting groups (about 5 each, at most 30).
  const submitting = groups.filter((x) => !x.undersized && !x.silent);
  for (let i = 0; recsLeft > 0; i++) {
    const grp = submitting[i % submitting.length];
    if (grp.submission.length >= 30) break;
    const n = grp.submission.length + 1;
    grp.submission.push({
      title: `${grp.groupId} recommendation ${n}`,
      text: `The group asks the cooperative to act on point ${n}: a concrete, costed proposal with a timetable and who carries it. `.repeat(3).trim(),
      context: `Fits the ongoing projects of the theme; legal and financial constraints checked against the framing brief (${n}).`,
    });
    recsLeft--;
  }

  const videoconferenceIds = Array.from({ length: size.videoconferences }, (_, i) => `${cycleId}-vc${i + 1}`);
  return {
    cycleId,
    label: `Europe ${cycleId}`,
    size,
    countries,
    deadlines,
    policies,
    offices,
    themes,
    members,
    groups,
    videoconferenceIds,
    emailDomain,
  };
}

/** Writes the edition's reference data (what exists before the cycle starts). */
export async function writeReference(models: Models, e: Edition, options: { batch?: number } = {}): Promise<void> {
  const batch = options.batch ?? 10_000;
  const inBatches = async <T>(docs: T[], insert: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < docs.length; i += batch) await insert(docs.slice(i, i + batch));
  };
  await models.Cycle.create({
    _id: e.cycleId,
    label: e.label,
    countries: e.countries,
    deadlines: e.deadlines,
    policies: e.policies,
    status: 'draft',
    projection: { phase: 'preparation', deadlines: e.deadlines, consolidationVersion: 0, seq: 0 },
    createdBy: 'bench',
  });
  await models.Office.insertMany(e.offices);
  await models.Theme.insertMany(
    e.themes.map((t) => ({
      ...t,
      cycleId: e.cycleId,
      brief: {
        ongoingProjects: [`Ongoing project on ${t.code} (1)`, `Ongoing project on ${t.code} (2)`],
        legalConstraints: ['Cooperative statutes', 'Labour law of the country'],
        financialConstraints: ['Budget of the year', 'Mutualised funds'],
      },
    })),
  );
  await inBatches(e.members, (chunk) =>
    models.Member.insertMany(chunk.map((x) => ({ ...x, emailKey: x.email.toLowerCase() })), { ordered: false }),
  );
  await inBatches(e.groups, (chunk) =>
    models.Group.insertMany(
      chunk.map((x) => ({
        _id: x.groupId, cycleId: e.cycleId, themeId: x.themeId, kind: 'office', officeId: x.officeId,
        moderatorMemberId: x.moderatorMemberId, status: 'forming', submissionVersion: 0, approval: { status: 'not_requested' },
      })),
      { ordered: false },
    ),
  );
  const memberships = e.groups.flatMap((x) =>
    x.memberIds.map((memberId) => ({
      _id: `${x.groupId}:${memberId}`, cycleId: e.cycleId, groupId: x.groupId, memberId,
      role: memberId === x.moderatorMemberId ? 'moderator' : 'member',
    })),
  );
  await inBatches(memberships, (chunk) => models.Membership.insertMany(chunk, { ordered: false }));
  const reviewOpens = Date.parse(e.deadlines.publicReviewOpensAt);
  await models.Videoconference.insertMany(
    e.videoconferenceIds.map((_id, i) => ({
      _id, cycleId: e.cycleId, uid: `${_id}@smart-in-progress`, sequence: 0,
      title: { nl: `Debat ${i + 1}`, fr: `Débat ${i + 1}`, en: `Debate ${i + 1}` },
      startsAt: new Date(reviewOpens + (i + 2) * 3 * DAY), durationMinutes: 90, joinUrl: `https://meet.example/${_id}`, cancelled: false,
    })),
  );
}

/**
 * The consolidation plan over the stored originals (sorted by id): 70 % kept one to one
 * (verbatim or reworded), 20 % merged by pairs, 10 % split in two. A recommendation concerns its
 * group's country; every 10th merge joins two countries (a shared recommendation, two boards).
 */
export function consolidationPlan(originals: number, seed = 7): ConsolidationOp[] {
  const rand = prng(seed);
  const ops: ConsolidationOp[] = [];
  for (let i = 0; i < originals; ) {
    const r = rand();
    if (r < 0.2 && i + 1 < originals) {
      ops.push({ relation: 'merged', from: [i, i + 1], into: 1 });
      i += 2;
    } else if (r < 0.3) {
      ops.push({ relation: 'split', from: [i], into: 2 });
      i += 1;
    } else {
      ops.push({ relation: r < 0.65 ? 'verbatim' : 'reworded', from: [i], into: 1 });
      i += 1;
    }
  }
  return ops;
}

/** Builds the consolidated documents from the stored originals and the plan (lineage kept). */
export function buildConsolidated(
  cycleId: string,
  originals: Pick<RecommendationDoc, '_id' | 'groupId' | 'title' | 'text' | 'context'>[],
  countryOfGroup: Map<string, string>,
  plan = consolidationPlan(originals.length),
): Omit<ConsolidatedDoc, 'decisions' | 'assembly' | 'finalStatus'>[] {
  const out: Omit<ConsolidatedDoc, 'decisions' | 'assembly' | 'finalStatus'>[] = [];
  let merges = 0;
  for (const op of plan) {
    const from = op.from.map((i) => originals[i]);
    let countries = [...new Set(from.map((o) => countryOfGroup.get(o.groupId)!))];
    if (op.relation === 'merged' && ++merges % 10 === 0 && countries.length === 1) {
      // A shared recommendation: BE and FR decide it both.
      countries = countries[0] === 'BE' ? ['BE', 'FR'] : [countries[0], 'BE'];
    }
    for (let k = 0; k < op.into; k++) {
      const number = out.length + 1;
      out.push({
        _id: `${cycleId}:c${number}`,
        cycleId,
        number,
        title: op.into > 1 ? `${from[0].title} (part ${k + 1})` : op.relation === 'merged' ? `${from[0].title} + ${from[1].title}` : from[0].title,
        text: op.relation === 'verbatim' ? from[0].text : `${from.map((o) => o.text).join(' ')} (consolidated)`,
        context: from[0].context,
        countries,
        lineage: from.map((o) => ({ recommendationId: o._id, groupId: o.groupId, relation: op.relation })),
        groupIds: [...new Set(from.map((o) => o.groupId))],
        revision: 1,
        withdrawn: false,
        updatedBy: 'bench-staff',
      });
    }
  }
  return out;
}

/** A board's decision on one recommendation: the four outcomes in turn, a motivation always. */
export function boardDecisionFor(number: number, country: string): { outcome: BoardOutcome; criteria: DecisionCriterion[]; text: string; newWording?: { title: string; text: string } } {
  const outcomes: BoardOutcome[] = ['accept', 'accept', 'reformulate', 'postpone', 'refuse'];
  const outcome = outcomes[(number + country.charCodeAt(0)) % outcomes.length];
  const criteria: DecisionCriterion[] = [DECISION_CRITERIA[number % DECISION_CRITERIA.length]];
  return {
    outcome,
    criteria,
    text: `Board of ${country}: ${outcome} (recommendation ${number}), judged on ${criteria.join(', ')}.`,
    ...(outcome === 'reformulate' ? { newWording: { title: `Reformulated ${number}`, text: `New wording of recommendation ${number} by the board of ${country}.` } } : {}),
  };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const divisor = Number(argv[argv.indexOf('--divisor') + 1] || 1) || 1;
  const e = generateEdition({ divisor });
  const counts = {
    cycleId: e.cycleId,
    countries: e.countries.length,
    offices: e.offices.length,
    themes: e.themes.length,
    members: e.members.length,
    groups: e.groups.length,
    memberships: e.groups.reduce((a, x) => a + x.memberIds.length, 0),
    undersizedGroups: e.groups.filter((x) => x.undersized).length,
    silentGroups: e.groups.filter((x) => x.silent).length,
    recommendations: e.groups.reduce((a, x) => a + x.submission.length, 0),
    consolidated: consolidationPlan(e.groups.reduce((a, x) => a + x.submission.length, 0)).reduce((a, op) => a + op.into, 0),
  };
  console.log(argv.includes('--json') ? JSON.stringify(counts) : counts);
}
