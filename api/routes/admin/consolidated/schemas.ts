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

export const wordingSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(4000),
    context: z.string().trim().max(4000).optional(),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'a country code such as BE')).min(1).optional(),
  })
  .openapi('Wording', { description: 'Countries default to those of the groups the originals come from.' });

export const consolidatedParams = z.strictObject({
  cycleId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only, at most 64'),
  recommendationId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}:c\d{1,6}$/, 'a consolidated recommendation id, e.g. sip-2019-2020:c12')
    .openapi({ example: 'sip-2019-2020:c12' }),
});

/** The stored recommendation right after an edit (no joins: read the document for lineage details). */
export const editedSchema = z
  .object({
    id: z.string(),
    number: z.number(),
    title: z.string(),
    text: z.string(),
    context: z.string(),
    countries: z.array(z.string()),
    revision: z.number(),
    withdrawn: z.boolean(),
    withdrawnReason: z.string().optional(),
    supersededBy: z.array(z.string()).optional(),
    lineage: z.array(z.object({ recommendationId: z.string(), groupId: z.string(), relation: z.string() })),
    groupIds: z.array(z.string()),
  })
  .openapi('ConsolidatedEdit');

export function editedView(d: import('../../../../domain/models').ConsolidatedDoc): z.input<typeof editedSchema> {
  return {
    id: d._id,
    number: d.number,
    title: d.title,
    text: d.text,
    context: d.context ?? '',
    countries: [...(d.countries ?? [])],
    revision: d.revision ?? 1,
    withdrawn: Boolean(d.withdrawn),
    ...(d.withdrawnReason ? { withdrawnReason: d.withdrawnReason } : {}),
    ...(d.supersededBy?.length ? { supersededBy: [...d.supersededBy] } : {}),
    lineage: (d.lineage ?? []).map((l) => ({ recommendationId: l.recommendationId, groupId: l.groupId, relation: l.relation })),
    groupIds: [...(d.groupIds ?? [])],
  };
}
