import { z } from '../../../zod';

const votes = z.object({ for: z.number(), against: z.number(), abstain: z.number() });
const text = z.object({ nl: z.string().optional(), fr: z.string().optional(), en: z.string().optional() });

export const consolidatedRecommendationSchema = z
  .object({
    id: z.string(),
    number: z.number(),
    title: z.string(),
    text: z.string(),
    context: z.string(),
    countries: z.array(z.string()),
    revision: z.number(),
    withdrawn: z.boolean(),
    lineage: z.array(
      z.object({
        recommendationId: z.string(),
        relation: z.string(),
        groupId: z.string(),
        office: z.string().optional(),
        theme: text.optional(),
        original: z.object({ title: z.string(), text: z.string(), context: z.string() }).optional(),
      }),
    ),
    decisions: z.array(
      z.object({
        country: z.string(),
        outcome: z.string(),
        criteria: z.array(z.string()),
        motivation: z.string(),
        newWording: z.object({ title: z.string(), text: z.string() }).optional(),
        postponeTo: z.object({ kind: z.string(), date: z.string().optional() }).optional(),
        decidedBy: z.string(),
        decidedAt: z.string(),
      }),
    ),
    assembly: z.array(z.object({ country: z.string(), ratified: z.boolean(), votes: votes.optional() })),
    finalStatus: z.array(z.object({ country: z.string(), status: z.string(), projectId: z.string().optional() })),
  })
  .openapi('ConsolidatedRecommendation');

export const consolidatedDocumentSchema = z
  .object({
    cycleId: z.string(),
    label: z.string(),
    phase: z.string(),
    version: z.number(),
    publishedAt: z.string().optional(),
    recommendations: z.array(consolidatedRecommendationSchema),
  })
  .openapi('ConsolidatedDocument');
