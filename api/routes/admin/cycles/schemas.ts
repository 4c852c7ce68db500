/** Schemas of the cycle routes: the configuration staff send, and the cycle they read back. */
import { z } from '../../../zod';
import {
  countrySchema, idSchema, instantSchema, languageSchema, localDateTimeSchema, phaseSchema,
} from '../../../schemas';
import { CYCLE_DEADLINES } from '../../../../domain/types';
import type { CycleDoc } from '../../../../domain/models';

export const localDatesSchema = z
  .strictObject(Object.fromEntries(CYCLE_DEADLINES.map((name) => [name, localDateTimeSchema])) as Record<
    (typeof CYCLE_DEADLINES)[number],
    typeof localDateTimeSchema
  >)
  .openapi('CycleLocalDates', {
    description:
      'The phase dates, read in `timeZone` (default: the first country’s). A date alone means the start ' +
      'of that day, or its end for a deadline (`…Deadline`, `…ClosesAt`).',
  });

export const countryInputSchema = z
  .strictObject({
    country: countrySchema,
    timeZone: z.string().min(1).openapi({ example: 'Europe/Brussels' }),
    languages: z.array(languageSchema).min(1),
    boardDeadline: localDateTimeSchema,
    assemblyDate: localDateTimeSchema,
  })
  .openapi('CycleCountryInput');

export const policiesSchema = z
  .strictObject({
    minGroupSize: z.number().int().min(1).max(100).default(5),
    undersizedGroup: z.enum(['online_fallback', 'cancel']).default('online_fallback'),
    silenceAtApprovalDeadline: z.enum(['tacit_approval', 'escalate']).default('tacit_approval'),
    reminderOffsetsDays: z.array(z.number().int().min(1).max(90)).max(5).default([14, 3]),
    progressRequestEveryDays: z.number().int().min(1).max(365).default(90),
  })
  .openapi('CyclePolicies');

export const cycleInputSchema = z
  .strictObject({
    id: idSchema,
    label: z.string().min(1).max(100).openapi({ example: '2019-2020' }),
    timeZone: z.string().min(1).optional().openapi({ example: 'Europe/Brussels' }),
    dates: localDatesSchema,
    countries: z.array(countryInputSchema).min(1).max(30),
    policies: policiesSchema.default({
      minGroupSize: 5,
      undersizedGroup: 'online_fallback',
      silenceAtApprovalDeadline: 'tacit_approval',
      reminderOffsetsDays: [14, 3],
      progressRequestEveryDays: 90,
    }),
    previousCycleId: idSchema.optional(),
  })
  .openapi('CycleInput');

export const deadlinesSchema = z
  .object(Object.fromEntries(CYCLE_DEADLINES.map((name) => [name, instantSchema])) as Record<
    (typeof CYCLE_DEADLINES)[number],
    typeof instantSchema
  >)
  .openapi('CycleDeadlines');

export const cycleSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    status: z.enum(['draft', 'running', 'completed', 'cancelled']),
    countries: z.array(
      z.object({
        country: z.string(),
        timeZone: z.string(),
        languages: z.array(languageSchema),
        boardDeadline: instantSchema,
        assemblyDate: instantSchema,
      }),
    ),
    deadlines: deadlinesSchema,
    policies: z.object({
      minGroupSize: z.number(),
      undersizedGroup: z.enum(['online_fallback', 'cancel']),
      silenceAtApprovalDeadline: z.enum(['tacit_approval', 'escalate']),
      reminderOffsetsDays: z.array(z.number()),
      progressRequestEveryDays: z.number(),
    }),
    previousCycleId: z.string().optional(),
    projection: z.object({
      phase: phaseSchema,
      phaseEnteredAt: instantSchema.optional(),
      deadlines: deadlinesSchema.partial().optional(),
      consolidationVersion: z.number(),
      publishedAt: instantSchema.optional(),
      countries: z
        .array(z.object({ country: z.string(), boardDeadline: z.string(), assemblyDate: z.string(), board: z.string(), assembly: z.string() }))
        .optional(),
      blockedOn: z.string().optional(),
    }),
    createdBy: z.string(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .openapi('Cycle');

/** Only the deadline names (a stored subdocument also carries `_id`). */
function pickDeadlines(d: Partial<Record<string, string>> | undefined): Partial<Record<(typeof CYCLE_DEADLINES)[number], string>> {
  const out: Partial<Record<(typeof CYCLE_DEADLINES)[number], string>> = {};
  for (const name of CYCLE_DEADLINES) if (typeof d?.[name] === 'string') out[name] = d[name];
  return out;
}

/** The stored cycle as the api shows it (`_id` → `id`). */
export function cycleView(doc: CycleDoc): z.input<typeof cycleSchema> {
  return {
    id: doc._id,
    label: doc.label,
    status: doc.status,
    countries: doc.countries.map((c) => ({
      country: c.country,
      timeZone: c.timeZone,
      languages: c.languages,
      boardDeadline: c.boardDeadline,
      assemblyDate: c.assemblyDate,
    })),
    deadlines: pickDeadlines(doc.deadlines) as Record<(typeof CYCLE_DEADLINES)[number], string>,
    policies: { ...doc.policies, reminderOffsetsDays: [...doc.policies.reminderOffsetsDays] },
    ...(doc.previousCycleId ? { previousCycleId: doc.previousCycleId } : {}),
    projection: {
      phase: doc.projection.phase,
      ...(doc.projection.phaseEnteredAt ? { phaseEnteredAt: doc.projection.phaseEnteredAt.toISOString() } : {}),
      ...(doc.projection.deadlines ? { deadlines: pickDeadlines(doc.projection.deadlines) } : {}),
      consolidationVersion: doc.projection.consolidationVersion ?? 0,
      ...(doc.projection.publishedAt ? { publishedAt: doc.projection.publishedAt.toISOString() } : {}),
      ...(doc.projection.countries?.length
        ? {
            countries: doc.projection.countries.map((c) => ({
              country: c.country, boardDeadline: c.boardDeadline, assemblyDate: c.assemblyDate, board: c.board, assembly: c.assembly,
            })),
          }
        : {}),
      ...(doc.projection.blockedOn ? { blockedOn: doc.projection.blockedOn } : {}),
    },
    createdBy: doc.createdBy,
    createdAt: new Date(doc.createdAt).toISOString(),
    updatedAt: new Date(doc.updatedAt).toISOString(),
  };
}

export const cycleStatusSchema = z
  .object({
    cycleId: z.string(),
    phase: phaseSchema,
    phaseEnteredAt: z.string(),
    /** Empty for the first instant of a run, while the workflow loads its configuration. */
    deadlines: deadlinesSchema.partial(),
    countries: z.array(
      z.object({
        country: z.string(),
        board: z.string(),
        assembly: z.string(),
        boardDeadline: z.string(),
        assemblyDate: z.string(),
      }),
    ),
    groups: z.object({ total: z.number(), open: z.number().optional(), online: z.number().optional() }),
    consolidationVersion: z.number(),
    cancelled: z.boolean(),
    blockedOn: z.string().optional(),
  })
  
  .openapi('CycleStatus');
