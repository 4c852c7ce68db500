/** What an assembly result must carry: known recommendations, non-negative votes, the next themes. */
import type { AssemblyVote } from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import { isActorId, isText, reject } from '../shared/messages';
import type { AssemblyResultInput } from './contract';

const MAX_VOTES = 10_000_000;

function checkVotes(votes: AssemblyVote | undefined, at: string): void {
  for (const key of ['for', 'against', 'abstain'] as const) {
    const n = votes?.[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_VOTES) {
      reject(FAILURE_TYPES.INVALID_DECISION, `${at}: votes ${key} must be a whole number, zero or more`);
    }
  }
}

/** Throws the product's failure for the first problem of a result against the assembly's scope. */
export function checkAssemblyResult(r: AssemblyResultInput, scope: ReadonlySet<string>): void {
  if (!r || (r.mode !== 'en_bloc' && r.mode !== 'per_recommendation')) reject(FAILURE_TYPES.INVALID_DECISION, 'mode is en_bloc or per_recommendation');
  if (!isActorId(r.actorId)) reject(FAILURE_TYPES.INVALID_DECISION, 'actorId is required');
  if (r.mode === 'en_bloc') {
    checkVotes(r.votes, 'the en bloc vote');
  } else {
    if (!Array.isArray(r.items) || r.items.length === 0) reject(FAILURE_TYPES.INVALID_DECISION, 'a vote per recommendation is required');
    const seen = new Set<string>();
    for (const item of r.items) {
      if (!scope.has(item?.recommendationId)) reject(FAILURE_TYPES.UNKNOWN_SUBJECT, `recommendation ${String(item?.recommendationId)} was not before this assembly`);
      if (seen.has(item.recommendationId)) reject(FAILURE_TYPES.INVALID_DECISION, `recommendation ${item.recommendationId} is voted twice`);
      seen.add(item.recommendationId);
      checkVotes(item.votes, `recommendation ${item.recommendationId}`);
    }
    const missing = [...scope].filter((id) => !seen.has(id));
    if (missing.length > 0) reject(FAILURE_TYPES.INVALID_DECISION, `${missing.length} recommendation(s) without a vote, e.g. ${missing[0]}`);
  }
  if (!Array.isArray(r.nextThemes) || r.nextThemes.length > 20) reject(FAILURE_TYPES.INVALID_DECISION, 'nextThemes: a list of at most 20 themes');
  r.nextThemes.forEach((t, i) => {
    const texts = Object.values(t?.title ?? {});
    if (texts.length === 0 || texts.some((x) => !isText(x, 200))) reject(FAILURE_TYPES.INVALID_DECISION, `theme ${i + 1}: a title in at least one language, at most 200 characters`);
  });
}
