import { z } from '../../../zod';
import type { ThemeDoc } from '../../../../domain/models';
import { localizedTextSchema } from '../../../schemas';

const lines = z.array(z.string().trim().min(1).max(2000)).max(50);

export const briefSchema = z
  .strictObject({
    ongoingProjects: lines.default([]),
    legalConstraints: lines.default([]),
    financialConstraints: lines.default([]),
    notes: z.string().max(10_000).optional(),
  })
  .openapi('FramingBrief', {
    description: 'What the group should keep in mind: ongoing projects, legal and financial constraints.',
  });

export const themeSchema = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    country: z.string(),
    code: z.string(),
    title: z.object({ nl: z.string().optional(), fr: z.string().optional(), en: z.string().optional() }),
    brief: z.object({
      ongoingProjects: z.array(z.string()),
      legalConstraints: z.array(z.string()),
      financialConstraints: z.array(z.string()),
      notes: z.string().optional(),
    }),
    onlineGroupId: z.string().optional(),
  })
  .openapi('Theme');

export { localizedTextSchema };

/** The stored theme as the api shows it. */
export function themeView(t: ThemeDoc): z.input<typeof themeSchema> {
  return {
    id: t._id,
    cycleId: t.cycleId,
    country: t.country,
    code: t.code,
    title: Object.fromEntries(Object.entries(t.title ?? {}).filter(([, v]) => typeof v === 'string')),
    brief: {
      ongoingProjects: t.brief?.ongoingProjects ?? [],
      legalConstraints: t.brief?.legalConstraints ?? [],
      financialConstraints: t.brief?.financialConstraints ?? [],
      ...(t.brief?.notes ? { notes: t.brief.notes } : {}),
    },
    ...(t.onlineGroupId ? { onlineGroupId: t.onlineGroupId } : {}),
  };
}
