/**
 * The consolidated document of a cycle as readers get it: every recommendation with its lineage
 * (the original wording and the groups it came from), each country's board decision and the
 * assemblies' outcome; as JSON, Markdown or a self-contained HTML page, in nl or fr.
 */
import type { ConsolidatedDoc, Models } from '../../domain/models';
import type { Language, LocalizedText } from '../../domain/types';
import { requireCycle } from '../../activities/storage/cycle-config';

export interface LineageView {
  recommendationId: string;
  relation: string;
  groupId: string;
  office?: string;
  theme?: LocalizedText;
  original?: { title: string; text: string; context: string };
}

export interface DecisionView {
  country: string;
  outcome: string;
  criteria: string[];
  motivation: string;
  newWording?: { title: string; text: string };
  postponeTo?: { kind: string; date?: string };
  decidedBy: string;
  decidedAt: string;
}

export interface RecommendationView {
  id: string;
  number: number;
  title: string;
  text: string;
  context: string;
  countries: string[];
  revision: number;
  withdrawn: boolean;
  lineage: LineageView[];
  decisions: DecisionView[];
  assembly: { country: string; ratified: boolean; votes?: { for: number; against: number; abstain: number } }[];
  finalStatus: { country: string; status: string; projectId?: string }[];
}

export interface ConsolidatedView {
  cycleId: string;
  label: string;
  phase: string;
  version: number;
  publishedAt?: string;
  recommendations: RecommendationView[];
}

/** Reads the whole document with the originals, groups, offices and themes it refers to. */
export async function readConsolidated(
  models: Models,
  cycleId: string,
  options: { includeWithdrawn?: boolean } = {},
): Promise<ConsolidatedView> {
  const cycle = await requireCycle(models, cycleId);
  const docs = await models.Consolidated.find({ cycleId }).sort({ number: 1 }).lean();
  const originalIds = [...new Set(docs.flatMap((d) => (d.lineage ?? []).map((l) => l.recommendationId)))];
  const [originals, groups, themes, offices] = await Promise.all([
    originalIds.length ? models.Recommendation.find({ _id: { $in: originalIds } }).lean() : [],
    models.Group.find({ cycleId }).lean(),
    models.Theme.find({ cycleId }).lean(),
    models.Office.find({}).lean(),
  ]);
  const originalById = new Map(originals.map((o) => [o._id, o]));
  const groupById = new Map(groups.map((g) => [g._id, g]));
  const themeById = new Map(themes.map((t) => [t._id, t]));
  const officeById = new Map(offices.map((o) => [o._id, o]));

  const view = (d: ConsolidatedDoc): RecommendationView => ({
    id: d._id,
    number: d.number,
    title: d.title,
    text: d.text,
    context: d.context ?? '',
    countries: d.countries ?? [],
    revision: d.revision ?? 1,
    withdrawn: Boolean(d.withdrawn),
    lineage: (d.lineage ?? []).map((l) => {
      const group = groupById.get(l.groupId);
      const original = originalById.get(l.recommendationId);
      const theme = group ? themeById.get(group.themeId) : undefined;
      const office = group?.officeId ? officeById.get(group.officeId) : undefined;
      return {
        recommendationId: l.recommendationId,
        relation: l.relation,
        groupId: l.groupId,
        ...(office ? { office: office.city } : group?.kind === 'online' ? { office: 'online' } : {}),
        ...(theme ? { theme: cleanText(theme.title) } : {}),
        ...(original ? { original: { title: original.title, text: original.text, context: original.context } } : {}),
      };
    }),
    decisions: (d.decisions ?? []).map((x) => ({
      country: x.country,
      outcome: x.outcome,
      criteria: x.motivation?.criteria ?? [],
      motivation: x.motivation?.text ?? '',
      ...(x.newWording?.title ? { newWording: { title: x.newWording.title, text: x.newWording.text } } : {}),
      ...(x.postponeTo?.kind ? { postponeTo: { kind: x.postponeTo.kind, ...(x.postponeTo.kind === 'date' ? { date: x.postponeTo.date } : {}) } } : {}),
      decidedBy: x.decidedBy,
      decidedAt: new Date(x.decidedAt).toISOString(),
    })),
    assembly: (d.assembly ?? []).map((a) => ({
      country: a.country,
      ratified: Boolean(a.ratified),
      ...(a.votes && typeof a.votes.for === 'number' ? { votes: { for: a.votes.for, against: a.votes.against, abstain: a.votes.abstain } } : {}),
    })),
    finalStatus: (d.finalStatus ?? []).map((f) => ({ country: f.country, status: f.status, ...(f.projectId ? { projectId: f.projectId } : {}) })),
  });

  return {
    cycleId,
    label: cycle.label,
    phase: cycle.projection.phase,
    version: cycle.projection.consolidationVersion ?? 0,
    ...(cycle.projection.publishedAt ? { publishedAt: new Date(cycle.projection.publishedAt).toISOString() } : {}),
    recommendations: docs.filter((d) => options.includeWithdrawn || !d.withdrawn).map(view),
  };
}

function cleanText(t: LocalizedText | undefined): LocalizedText {
  return Object.fromEntries(Object.entries(t ?? {}).filter(([, v]) => typeof v === 'string')) as LocalizedText;
}

// ---------------------------------------------------------------------------------------------
// Markdown and HTML
// ---------------------------------------------------------------------------------------------

type ExportLanguage = Extract<Language, 'nl' | 'fr'>;

const LABELS: Record<ExportLanguage, Record<string, string>> = {
  nl: {
    title: 'Smart in Progress: geconsolideerde aanbevelingen',
    edition: 'Editie',
    version: 'Versie',
    recommendation: 'Aanbeveling',
    context: 'Context',
    countries: 'Landen',
    lineage: 'Herkomst',
    original: 'Oorspronkelijke tekst',
    decisions: 'Beslissingen van de raden van bestuur',
    board: 'Raad van bestuur',
    motivation: 'Motivering',
    criteria: 'Criteria',
    newWording: 'Nieuwe formulering',
    postponedTo: 'Uitgesteld tot',
    nextCycle: 'de volgende editie',
    assembly: 'Algemene vergadering',
    ratified: 'bekrachtigd',
    notRatified: 'niet bekrachtigd',
    noDecision: 'Nog geen beslissing',
    withdrawn: 'ingetrokken',
    online: 'online',
    group: 'groep',
    verbatim: 'ongewijzigd',
    reworded: 'herschreven',
    merged: 'samengevoegd',
    split: 'opgesplitst',
    accept: 'aanvaard',
    reformulate: 'geherformuleerd',
    postpone: 'uitgesteld',
    refuse: 'geweigerd',
    social_purpose: 'maatschappelijk doel',
    means_of_implementation: 'middelen voor uitvoering',
    priorities: 'prioriteiten',
    ongoing_projects: 'lopende projecten',
    for: 'voor',
    against: 'tegen',
    abstain: 'onthoudingen',
    none: 'Nog geen aanbevelingen.',
  },
  fr: {
    title: 'Smart in Progress : recommandations consolidées',
    edition: 'Édition',
    version: 'Version',
    recommendation: 'Recommandation',
    context: 'Contexte',
    countries: 'Pays',
    lineage: 'Origine',
    original: 'Texte original',
    decisions: 'Décisions des conseils d’administration',
    board: 'Conseil d’administration',
    motivation: 'Motivation',
    criteria: 'Critères',
    newWording: 'Nouvelle formulation',
    postponedTo: 'Reportée à',
    nextCycle: 'la prochaine édition',
    assembly: 'Assemblée générale',
    ratified: 'ratifiée',
    notRatified: 'non ratifiée',
    noDecision: 'Pas encore de décision',
    withdrawn: 'retirée',
    online: 'en ligne',
    group: 'groupe',
    verbatim: 'inchangée',
    reworded: 'reformulée',
    merged: 'fusionnée',
    split: 'scindée',
    accept: 'acceptée',
    reformulate: 'reformulée',
    postpone: 'reportée',
    refuse: 'refusée',
    social_purpose: 'objet social',
    means_of_implementation: 'moyens de mise en œuvre',
    priorities: 'priorités',
    ongoing_projects: 'projets en cours',
    for: 'pour',
    against: 'contre',
    abstain: 'abstentions',
    none: 'Pas encore de recommandations.',
  },
};

function themeName(theme: LocalizedText | undefined, lang: ExportLanguage): string {
  return theme?.[lang] ?? theme?.fr ?? theme?.nl ?? theme?.en ?? '';
}

function sourceLine(l: LineageView, lang: ExportLanguage): string {
  const L = LABELS[lang];
  const where = l.office === 'online' ? L.online : l.office ?? l.groupId;
  const theme = themeName(l.theme, lang);
  return `${L.group} ${where}${theme ? ` (${theme})` : ''}: ${L[l.relation] ?? l.relation}`;
}

function postponeText(d: DecisionView, lang: ExportLanguage): string {
  if (!d.postponeTo) return '';
  return d.postponeTo.kind === 'date' && d.postponeTo.date ? d.postponeTo.date.slice(0, 10) : LABELS[lang].nextCycle;
}

/** Escapes Markdown's active characters in user text (titles, texts, contexts). */
function md(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|])/g, '\\$1').replace(/\r?\n/g, '  \n');
}

/** The document as Markdown, labels in `lang`; texts as the groups and staff wrote them. */
export function toMarkdown(doc: ConsolidatedView, lang: ExportLanguage): string {
  const L = LABELS[lang];
  const out: string[] = [];
  out.push(`# ${L.title}`, '', `${L.edition} ${md(doc.label)} · ${L.version} ${doc.version}`, '');
  if (doc.recommendations.length === 0) out.push(L.none, '');
  for (const r of doc.recommendations) {
    out.push(`## ${r.number}. ${md(r.title)}${r.withdrawn ? ` (${L.withdrawn})` : ''}`, '');
    out.push(md(r.text), '');
    if (r.context) out.push(`**${L.context}.** ${md(r.context)}`, '');
    out.push(`**${L.countries}:** ${r.countries.join(', ')}`, '');
    out.push(`### ${L.lineage}`, '');
    for (const l of r.lineage) {
      out.push(`- ${md(sourceLine(l, lang))}`);
      if (l.original) out.push(`  - ${L.original}: *${md(l.original.title)}*: ${md(l.original.text)}`);
    }
    out.push('', `### ${L.decisions}`, '');
    for (const country of r.countries) {
      const d = r.decisions.find((x) => x.country === country);
      if (!d) {
        out.push(`- **${L.board} ${country}:** ${L.noDecision}`);
        continue;
      }
      out.push(`- **${L.board} ${country}:** ${L[d.outcome] ?? d.outcome}${d.postponeTo ? ` (${L.postponedTo} ${postponeText(d, lang)})` : ''}`);
      out.push(`  - ${L.criteria}: ${d.criteria.map((c) => L[c] ?? c).join(', ')}`);
      out.push(`  - ${L.motivation}: ${md(d.motivation)}`);
      if (d.newWording) out.push(`  - ${L.newWording}: *${md(d.newWording.title)}*: ${md(d.newWording.text)}`);
      const a = r.assembly.find((x) => x.country === country);
      if (a) {
        out.push(
          `  - ${L.assembly}: ${a.ratified ? L.ratified : L.notRatified}${a.votes ? ` (${a.votes.for} ${L.for}, ${a.votes.against} ${L.against}, ${a.votes.abstain} ${L.abstain})` : ''}`,
        );
      }
    }
    out.push('');
  }
  return out.join('\n');
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function para(text: string): string {
  return esc(text).replace(/\r?\n/g, '<br>');
}

/** The document as one self-contained HTML page (no external resources), labels in `lang`. */
export function toHtml(doc: ConsolidatedView, lang: ExportLanguage): string {
  const L = LABELS[lang];
  const parts: string[] = [];
  parts.push(
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(L.title)} · ${esc(doc.label)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
      'article{border-top:1px solid #ccc;padding-top:1rem;margin-top:1.5rem}.meta{color:#555}.withdrawn{opacity:.6}' +
      'blockquote{margin:.25rem 0 .25rem 1rem;color:#444}dt{font-weight:600}</style></head><body>',
    `<h1>${esc(L.title)}</h1><p class="meta">${esc(L.edition)} ${esc(doc.label)} · ${esc(L.version)} ${doc.version}</p>`,
  );
  if (doc.recommendations.length === 0) parts.push(`<p>${esc(L.none)}</p>`);
  for (const r of doc.recommendations) {
    parts.push(`<article id="r${r.number}"${r.withdrawn ? ' class="withdrawn"' : ''}>`);
    parts.push(`<h2>${r.number}. ${esc(r.title)}${r.withdrawn ? ` (${esc(L.withdrawn)})` : ''}</h2>`);
    parts.push(`<p>${para(r.text)}</p>`);
    if (r.context) parts.push(`<p><strong>${esc(L.context)}.</strong> ${para(r.context)}</p>`);
    parts.push(`<p class="meta">${esc(L.countries)}: ${esc(r.countries.join(', '))}</p>`);
    parts.push(`<h3>${esc(L.lineage)}</h3><ul>`);
    for (const l of r.lineage) {
      parts.push(`<li>${esc(sourceLine(l, lang))}`);
      if (l.original) parts.push(`<blockquote><em>${esc(l.original.title)}</em>: ${para(l.original.text)}</blockquote>`);
      parts.push('</li>');
    }
    parts.push(`</ul><h3>${esc(L.decisions)}</h3><dl>`);
    for (const country of r.countries) {
      const d = r.decisions.find((x) => x.country === country);
      parts.push(`<dt>${esc(L.board)} ${esc(country)}</dt>`);
      if (!d) {
        parts.push(`<dd>${esc(L.noDecision)}</dd>`);
        continue;
      }
      parts.push(
        `<dd>${esc(L[d.outcome] ?? d.outcome)}${d.postponeTo ? ` (${esc(L.postponedTo)} ${esc(postponeText(d, lang))})` : ''}<br>` +
          `${esc(L.criteria)}: ${esc(d.criteria.map((c) => L[c] ?? c).join(', '))}<br>${esc(L.motivation)}: ${para(d.motivation)}`,
      );
      if (d.newWording) parts.push(`<br>${esc(L.newWording)}: <em>${esc(d.newWording.title)}</em>: ${para(d.newWording.text)}`);
      const a = r.assembly.find((x) => x.country === country);
      if (a) {
        parts.push(
          `<br>${esc(L.assembly)}: ${esc(a.ratified ? L.ratified : L.notRatified)}` +
            (a.votes ? ` (${a.votes.for} ${esc(L.for)}, ${a.votes.against} ${esc(L.against)}, ${a.votes.abstain} ${esc(L.abstain)})` : ''),
        );
      }
      parts.push('</dd>');
    }
    parts.push('</dl></article>');
  }
  parts.push('</body></html>\n');
  return parts.join('');
}
