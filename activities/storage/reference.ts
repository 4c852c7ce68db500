/**
 * Reference content the api writes directly: offices (shared by every cycle) and a cycle's themes
 * with their framing briefs. Themes are editable while the cycle has not passed group formation
 * (groups need the brief early); briefs can be completed until deliberation ends.
 */
import type { Models, OfficeDoc, ThemeDoc } from '../../domain/models';
import type { LocalizedText, Phase } from '../../domain/types';
import { ConflictError, NotFoundError, WrongPhaseError } from '../../domain/errors';
import { requireCycle } from './cycle-config';

export interface OfficeInput {
  id: string;
  city: string;
  country: string;
}

/** Creates an office; a second office with the same id, or the same city in the country, conflicts. */
export async function createOffice(models: Models, input: OfficeInput): Promise<OfficeDoc> {
  try {
    const doc = await models.Office.create({ _id: input.id, city: input.city, country: input.country });
    return doc.toObject();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) {
      throw new ConflictError(`office ${input.id} or ${input.city} (${input.country}) already exists`);
    }
    throw err;
  }
}

/** Offices, optionally of one country, by country then city. */
export async function listOffices(models: Models, country?: string): Promise<OfficeDoc[]> {
  return models.Office.find(country ? { country } : {}).sort({ country: 1, city: 1 }).lean();
}

export interface ThemeBrief {
  ongoingProjects: string[];
  legalConstraints: string[];
  financialConstraints: string[];
  notes?: string;
}

export interface ThemeInput {
  id: string;
  cycleId: string;
  country: string;
  code: string;
  title: LocalizedText;
  brief?: ThemeBrief;
}

const THEME_PHASES: Phase[] = ['preparation', 'group_formation'];
const BRIEF_PHASES: Phase[] = ['preparation', 'group_formation', 'deliberation'];

/** Adds a theme to a cycle's country; only before deliberation starts. */
export async function createTheme(models: Models, input: ThemeInput): Promise<ThemeDoc> {
  const cycle = await requireCycle(models, input.cycleId);
  if (!cycle.countries.some((c) => c.country === input.country)) {
    throw new ConflictError(`cycle ${input.cycleId} does not include country ${input.country}`);
  }
  if (!THEME_PHASES.includes(cycle.projection.phase) || cycle.status === 'cancelled' || cycle.status === 'completed') {
    throw new WrongPhaseError(`themes can be added during ${THEME_PHASES.join(' or ')}; the cycle is in ${cycle.projection.phase}`);
  }
  try {
    const doc = await models.Theme.create({
      _id: input.id,
      cycleId: input.cycleId,
      country: input.country,
      code: input.code,
      title: input.title,
      brief: input.brief ?? { ongoingProjects: [], legalConstraints: [], financialConstraints: [] },
    });
    return doc.toObject();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) {
      throw new ConflictError(`theme ${input.id} or code ${input.code} (${input.country}) already exists in this cycle`);
    }
    throw err;
  }
}

/** Replaces a theme's framing brief; until deliberation ends. */
export async function setThemeBrief(models: Models, cycleId: string, themeId: string, brief: ThemeBrief): Promise<ThemeDoc> {
  const cycle = await requireCycle(models, cycleId);
  if (!BRIEF_PHASES.includes(cycle.projection.phase) || cycle.status === 'cancelled') {
    throw new WrongPhaseError(`briefs can be edited during ${BRIEF_PHASES.join(', ')}; the cycle is in ${cycle.projection.phase}`);
  }
  const doc = await models.Theme.findOneAndUpdate(
    { _id: themeId, cycleId },
    { $set: { brief } },
    { returnDocument: 'after', lean: true },
  );
  if (!doc) throw new NotFoundError('theme', themeId);
  return doc;
}

/** The themes of a cycle, by country then code. */
export async function listThemes(models: Models, cycleId: string): Promise<ThemeDoc[]> {
  await requireCycle(models, cycleId);
  return models.Theme.find({ cycleId }).sort({ country: 1, code: 1 }).lean();
}
