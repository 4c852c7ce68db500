/**
 * What a board decision must carry (DOMAIN.md step 8): an outcome among accept, reformulate,
 * postpone, refuse; a motivation naming at least one of the four criteria, with a text; the new
 * wording for a reformulation; the target (next cycle or a future date) for a postponement.
 * Pure functions: the board's validators call them, unit tests too.
 */
import { BOARD_OUTCOMES, DECISION_CRITERIA, type BoardDecision } from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import { isActorId, isInstant, isText, reject } from '../shared/messages';

export const MOTIVATION_MAX = 4000;

/** Throws the product's failure for the first problem of `d`; `now` is workflow time. */
export function checkDecision(d: BoardDecision, scope: ReadonlySet<string>, now: number): void {
  if (!d || typeof d !== 'object') reject(FAILURE_TYPES.INVALID_DECISION, 'a decision is required');
  if (typeof d.recommendationId !== 'string' || !scope.has(d.recommendationId)) {
    reject(FAILURE_TYPES.UNKNOWN_SUBJECT, `recommendation ${String(d.recommendationId)} is not in this board's scope`);
  }
  const at = `recommendation ${d.recommendationId}`;
  if (!(BOARD_OUTCOMES as readonly string[]).includes(d.outcome)) {
    reject(FAILURE_TYPES.INVALID_DECISION, `${at}: the outcome is one of ${BOARD_OUTCOMES.join(', ')}`);
  }
  const criteria = d.motivation?.criteria;
  if (!Array.isArray(criteria) || criteria.length === 0) {
    reject(FAILURE_TYPES.INVALID_DECISION, `${at}: the motivation names at least one criterion (${DECISION_CRITERIA.join(', ')})`);
  }
  const unknown = criteria.filter((c) => !(DECISION_CRITERIA as readonly string[]).includes(c));
  if (unknown.length > 0) reject(FAILURE_TYPES.INVALID_DECISION, `${at}: unknown criteria ${unknown.join(', ')}`);
  if (!isText(d.motivation.text, MOTIVATION_MAX)) reject(FAILURE_TYPES.INVALID_DECISION, `${at}: the motivation needs a text (at most ${MOTIVATION_MAX} characters)`);
  if (d.outcome === 'reformulate' && (!isText(d.newWording?.title, 200) || !isText(d.newWording?.text, 4000))) {
    reject(FAILURE_TYPES.INVALID_DECISION, `${at}: a reformulation carries the new wording (title and text)`);
  }
  if (d.outcome === 'postpone') {
    const to = d.postponeTo;
    if (!to || (to.kind !== 'next_cycle' && to.kind !== 'date')) reject(FAILURE_TYPES.INVALID_DECISION, `${at}: a postponement says until when (next_cycle or a date)`);
    if (to.kind === 'date' && (!isInstant(to.date) || Date.parse(to.date) <= now)) {
      reject(FAILURE_TYPES.INVALID_DECISION, `${at}: a postponement date must be in the future`);
    }
  }
  if (!isActorId(d.decidedBy)) reject(FAILURE_TYPES.INVALID_DECISION, `${at}: decidedBy (the secretary's key id) is required`);
}

/** Keeps only what the outcome uses (a stray new wording on an acceptance is not stored). */
export function normalizeDecision(d: BoardDecision): BoardDecision {
  return {
    recommendationId: d.recommendationId,
    outcome: d.outcome,
    motivation: { criteria: [...new Set(d.motivation.criteria)], text: d.motivation.text.trim() },
    ...(d.outcome === 'reformulate' ? { newWording: { title: d.newWording!.title.trim(), text: d.newWording!.text.trim() } } : {}),
    ...(d.outcome === 'postpone' ? { postponeTo: d.postponeTo } : {}),
    decidedBy: d.decidedBy,
  };
}
