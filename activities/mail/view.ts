/**
 * What a mail shows, read from MongoDB at send time: workflows pass ids and enum words only
 * (`data`), names and texts live here. One Lookups object per activity execution caches the small
 * collections (cycle, groups, themes, offices, consolidated document, videoconferences), so a
 * fan-out to thousands of members reads them once.
 *
 * `data` keys by template (all optional when the workflow id already names the thing):
 *   group_*, moderator_invitation, framing_brief, submission_reminder, approval_*: groupId
 *   group_fallen_back: groupId, fallbackGroupId        approval_*: version
 *   public_review_invitation: cycleId, videoconferenceIds (default: every one not cancelled)
 *   videoconference_update: videoconferenceId          progress_request: projectId
 *   board_reminder: country, undecided, deadline       assembly_outcome: country, ratified
 *   staff_alert: kind, plus the numbers and ids its sentence uses (failed, purpose, groupId, ...)
 */
import Handlebars from 'handlebars';
import type {
  ConsolidatedDoc, CycleDoc, GroupDoc, Models, OfficeDoc, ProjectDoc, ThemeDoc, VideoconferenceDoc,
} from '../../domain/models';
import { parseWorkflowId } from '../../domain/ids';
import type { Language, LocalizedText } from '../../domain/types';
import type { MailTemplate } from './contract';
import { catalogFor, type Catalog } from './i18n';

export type MailData = Record<string, string | number | boolean | string[]>;

export interface ViewItem {
  title: string;
  text?: string;
  meta?: string;
}

export interface MailView {
  /** The catalog entry: the template, or its cancellation variant. */
  textsKey: MailTemplate | 'videoconference_cancelled';
  vars: Record<string, string | number>;
  sections: { heading: string; items: ViewItem[] }[];
  /** Videoconferences to attach as iCalendar. */
  videoconferences: { doc: VideoconferenceDoc; title: string }[];
}

const sentence = Handlebars.create();
const compiled = new Map<string, HandlebarsTemplateDelegate>();
/** Renders a catalog sentence as plain text (HTML escaping happens once, in the HTML layout). */
export function fill(template: string, vars: Record<string, unknown>): string {
  let fn = compiled.get(template);
  if (!fn) {
    fn = sentence.compile(template, { noEscape: true, strict: false });
    compiled.set(template, fn);
  }
  return fn(vars);
}

/** The text in the wanted language, else in any language the content has. */
export function localized(text: LocalizedText | undefined, language: Language): string {
  if (!text) return '';
  return text[language] ?? text.fr ?? text.nl ?? text.en ?? '';
}

/** Formatters by locale, zone and style: a new Intl.DateTimeFormat costs about 0.15 ms, several a mail. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A date in the recipient's language and the country's time zone. */
export function formatDate(at: Date | string | undefined, catalog: Catalog, timeZone: string, withTime = true): string {
  if (!at) return '';
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  const key = `${catalog.locale}|${timeZone}|${withTime}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(catalog.locale, withTime ? { dateStyle: 'long', timeStyle: 'short', timeZone } : { dateStyle: 'long', timeZone });
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}

/** Reads of small collections, cached for one activity execution. */
export class Lookups {
  private cache = new Map<string, Promise<unknown>>();
  constructor(private readonly models: Models) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.cache.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.cache.set(key, value);
    }
    return value;
  }

  cycle(id: string | undefined) {
    return this.once(`cycle:${id}`, async () => (id ? this.models.Cycle.findOne({ _id: id }).lean<CycleDoc>() : null));
  }
  group(id: string | undefined) {
    return this.once(`group:${id}`, async () => (id ? this.models.Group.findOne({ _id: id }).lean<GroupDoc>() : null));
  }
  theme(id: string | undefined) {
    return this.once(`theme:${id}`, async () => (id ? this.models.Theme.findOne({ _id: id }).lean<ThemeDoc>() : null));
  }
  office(id: string | undefined) {
    return this.once(`office:${id}`, async () => (id ? this.models.Office.findOne({ _id: id }).lean<OfficeDoc>() : null));
  }
  project(id: string | undefined) {
    return this.once(`project:${id}`, async () => (id ? this.models.Project.findOne({ _id: id }).lean<ProjectDoc>() : null));
  }
  videoconference(id: string | undefined) {
    return this.once(`vc:${id}`, async () => (id ? this.models.Videoconference.findOne({ _id: id }).lean<VideoconferenceDoc>() : null));
  }
  /** The cycle's whole consolidated document, by number (the public-review page lists it). */
  consolidated(cycleId: string | undefined) {
    return this.once(`consolidated:${cycleId}`, async () =>
      cycleId
        ? (await this.models.Consolidated.find({ cycleId }).lean<ConsolidatedDoc[]>()).sort((a, b) => a.number - b.number)
        : [],
    );
  }
  /**
   * The consolidated recommendations of one group, by number. Read by group (an indexed
   * equality on `groupIds`), not the cycle's whole document: at Smart's size that is 5,000
   * recommendations, and 1,000 approval requests each reading all of them kept FerretDB busy
   * for minutes.
   */
  consolidatedOfGroup(cycleId: string | undefined, groupId: string | undefined) {
    return this.once(`consolidated:${cycleId}:group:${groupId}`, async () =>
      cycleId && groupId
        ? (await this.models.Consolidated.find({ cycleId, groupIds: groupId }, { number: 1, title: 1, text: 1, withdrawn: 1 }).lean<ConsolidatedDoc[]>())
          .sort((a, b) => a.number - b.number)
        : [],
    );
  }
  /** How many consolidated recommendations the cycle puts to the public review. */
  consolidatedCount(cycleId: string | undefined) {
    return this.once(`consolidated-count:${cycleId}`, async () =>
      cycleId ? (await this.models.Consolidated.find({ cycleId }, { withdrawn: 1 }).lean()).filter((c) => !c.withdrawn).length : 0,
    );
  }
  videoconferences(cycleId: string | undefined) {
    return this.once(`vcs:${cycleId}`, async () =>
      cycleId
        ? (await this.models.Videoconference.find({ cycleId }).lean<VideoconferenceDoc[]>()).sort(
            (a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime(),
          )
        : [],
    );
  }
}

/** "Gender equality (Brussels)" or "Gender equality (online)" in the recipient's language. */
export async function groupTitle(lookups: Lookups, groupId: string | undefined, catalog: Catalog, language: Language): Promise<{ title: string; theme: string }> {
  const group = await lookups.group(groupId);
  if (!group) return { title: groupId ?? '', theme: '' };
  const theme = await lookups.theme(group.themeId);
  const office = group.officeId ? await lookups.office(group.officeId) : null;
  const themeTitle = localized(theme?.title, language) || theme?.code || group.themeId;
  const place = office?.city ?? catalog.common.onlineGroup;
  return { title: fill(catalog.common.groupTitle, { theme: themeTitle, place }), theme: themeTitle };
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export interface ViewInput {
  template: MailTemplate;
  workflowId: string;
  version: string;
  data: MailData;
  language: Language;
  /** The recipient's country, for the time zone of dates. */
  country?: string;
}

/** Builds the variables, lists and attachments of one template for one language. */
export async function buildView(lookups: Lookups, input: ViewInput): Promise<MailView> {
  const catalog = catalogFor(input.language);
  const lang = input.language;
  const parsed = parseWorkflowId(input.workflowId);
  const cycleId = str(input.data.cycleId) ?? (parsed && 'cycleId' in parsed ? parsed.cycleId : undefined);
  const groupId = str(input.data.groupId) ?? (parsed?.kind === 'group' ? parsed.groupId : undefined);
  const cycle = await lookups.cycle(cycleId);
  const timeZone =
    cycle?.countries.find((c) => c.country === (str(input.data.country) ?? input.country))?.timeZone ??
    cycle?.countries[0]?.timeZone ??
    'Europe/Brussels';
  const date = (at: Date | string | undefined) => formatDate(at, catalog, timeZone);
  const deadlines = cycle?.projection?.deadlines ?? cycle?.deadlines;
  const vars: Record<string, string | number> = {
    cycleLabel: cycle?.label ?? '',
    version: str(input.data.version) ?? input.version,
  };
  for (const [key, value] of Object.entries(input.data)) {
    if (typeof value === 'number' || (typeof value === 'string' && !(key in vars))) vars[key] = value;
  }
  const view: MailView = { textsKey: input.template, vars, sections: [], videoconferences: [] };
  if (groupId) {
    const g = await groupTitle(lookups, groupId, catalog, lang);
    vars.groupTitle = g.title;
    vars.themeTitle = g.theme;
  }
  const s = catalog.common.sections;

  switch (input.template) {
    case 'framing_brief': {
      const group = await lookups.group(groupId);
      const theme = await lookups.theme(group?.themeId);
      const brief = theme?.brief;
      const list = (heading: string, texts: string[] | undefined) => {
        if (texts && texts.length > 0) view.sections.push({ heading, items: texts.map((t) => ({ title: t })) });
      };
      list(s.ongoingProjects, brief?.ongoingProjects);
      list(s.legalConstraints, brief?.legalConstraints);
      list(s.financialConstraints, brief?.financialConstraints);
      if (brief?.notes) list(s.notes, [brief.notes]);
      break;
    }
    case 'group_fallen_back': {
      vars.fallbackTitle = (await groupTitle(lookups, str(input.data.fallbackGroupId), catalog, lang)).title;
      break;
    }
    case 'submission_reminder':
      vars.deadline = date(str(input.data.deadline) ?? deadlines?.submissionDeadline);
      break;
    case 'approval_request':
    case 'approval_reminder': {
      vars.deadline = date(str(input.data.deadline) ?? deadlines?.approvalDeadline);
      const items = (await lookups.consolidatedOfGroup(cycleId, groupId)).filter((c) => !c.withdrawn);
      view.sections.push({ heading: s.recommendations, items: items.map((c) => ({ title: `${c.number}. ${c.title}`, text: c.text })) });
      break;
    }
    case 'public_review_invitation': {
      vars.closesAt = date(str(input.data.closesAt) ?? deadlines?.publicReviewClosesAt);
      vars.recommendationCount = await lookups.consolidatedCount(cycleId);
      const wanted = Array.isArray(input.data.videoconferenceIds) ? new Set(input.data.videoconferenceIds) : undefined;
      const vcs = (await lookups.videoconferences(cycleId)).filter((v) => (wanted ? wanted.has(v._id) : !v.cancelled));
      view.videoconferences = vcs.map((doc) => ({ doc, title: localized(doc.title, lang) }));
      view.sections.push({
        heading: s.videoconferences,
        items: view.videoconferences.map(({ doc, title }) => ({
          title,
          text: `${date(doc.startsAt)} (${doc.durationMinutes} ${catalog.common.minutes})`,
          meta: `${catalog.common.joinLink}: ${doc.joinUrl}`,
        })),
      });
      break;
    }
    case 'videoconference_update': {
      const vc = await lookups.videoconference(str(input.data.videoconferenceId));
      if (vc) {
        vars.title = localized(vc.title, lang);
        vars.when = date(vc.startsAt);
        vars.duration = vc.durationMinutes;
        vars.joinUrl = vc.joinUrl;
        view.videoconferences = [{ doc: vc, title: String(vars.title) }];
        if (vc.cancelled) view.textsKey = 'videoconference_cancelled';
        else view.sections.push({ heading: s.videoconferences, items: [{ title: String(vars.title), text: String(vars.when), meta: `${catalog.common.joinLink}: ${vc.joinUrl}` }] });
      }
      break;
    }
    case 'board_reminder':
      vars.deadline = date(str(input.data.deadline));
      break;
    case 'progress_request': {
      const projectId = str(input.data.projectId) ?? (parsed?.kind === 'project' ? parsed.projectId : undefined);
      const project = await lookups.project(projectId);
      vars.projectTitle = project?.title ?? projectId ?? '';
      break;
    }
    case 'staff_alert': {
      const kind = str(input.data.kind) ?? 'other';
      const alerts = catalog.common.alerts;
      const sentenceFor = kind in alerts ? alerts[kind as keyof typeof alerts] : alerts.other;
      vars.kind = kind;
      vars.alertText = fill(sentenceFor, vars);
      // The facts behind the alert (ids and numbers only), for staff to look up.
      view.sections.push({
        heading: s.details,
        items: [
          { title: 'workflow', text: input.workflowId },
          ...Object.entries(input.data).map(([k, v]) => ({ title: k, text: Array.isArray(v) ? v.join(', ') : String(v) })),
        ],
      });
      break;
    }
    default:
      break;
  }
  return view;
}
