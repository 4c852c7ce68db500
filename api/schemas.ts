/**
 * Schemas shared by many routes: ids, countries, local dates, the error body. Route-specific
 * schemas live in the route's own file.
 */
import { z } from './zod';
import { BOARD_OUTCOMES, LANGUAGES, PHASES } from '../domain/types';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** An id segment (letters, digits, `_`, `-`; at most 64): the same rule as domain/ids `isId`. */
export const idSchema = z
  .string()
  .regex(ID_PATTERN, 'letters, digits, _ and - only, at most 64')
  .openapi({ example: 'sip-2019-2020' });

export const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in upper case, e.g. BE')
  .openapi({ example: 'BE' });

export const languageSchema = z.enum(LANGUAGES);
export const phaseSchema = z.enum(PHASES);
export const outcomeSchema = z.enum(BOARD_OUTCOMES);

export const localizedTextSchema = z
  .strictObject({
    nl: z.string().min(1).max(500).optional(),
    fr: z.string().min(1).max(500).optional(),
    en: z.string().min(1).max(500).optional(),
  })
  .refine((t) => Boolean(t.nl || t.fr || t.en), { message: 'at least one of nl, fr, en' })
  .openapi('LocalizedText', { example: { nl: 'Gendergelijkheid', fr: 'Égalité de genre' } });

/**
 * A date or date-time as people write it, read in a country's time zone: `2020-03-31`,
 * `2020-03-31T18:00`, or an instant with an offset (`2020-03-31T16:00:00Z`).
 */
export const localDateTimeSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/,
    'a date (2020-03-31), a local date-time (2020-03-31T18:00) or an instant with offset',
  )
  .openapi({ example: '2020-03-31T18:00' });

export const instantSchema = z.string().openapi({ format: 'date-time', example: '2020-03-31T16:00:00.000Z' });

export const cycleParams = z.strictObject({ cycleId: idSchema });

export const fieldProblemSchema = z.object({ path: z.string(), message: z.string() });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum([
        'validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'wrong_phase',
        'invalid_decision', 'unknown_subject', 'idempotency_key_reused', 'rate_limited', 'unavailable',
        'internal',
      ]),
      message: z.string(),
      fields: z.array(fieldProblemSchema).optional(),
    }).catchall(z.unknown()),
    requestId: z.string(),
  })
  .openapi('Error');

/** Answer of a workflow update or a write that returns no document. */
export const okSchema = z.object({ ok: z.literal(true) }).openapi('Ok');

export const actorSchema = z.object({
  kind: z.enum(['staff', 'board_secretary', 'operator', 'member', 'system']),
  id: z.string(),
});
