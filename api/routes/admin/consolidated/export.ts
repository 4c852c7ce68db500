import { z } from '../../../zod';
import { defineRoute, RawReply } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { readConsolidated, toHtml, toMarkdown } from '../../../usecases/consolidated';

/** The consolidated document as Markdown or as an HTML page, labels in nl or fr. */
export default defineRoute({
  name: 'consolidated.export',
  method: 'get',
  path: '/admin/cycles/{cycleId}/consolidated/export',
  summary: 'Export the consolidated document as Markdown or HTML, in nl or fr',
  description: 'Headings and labels in the chosen language; recommendation texts as written. Each recommendation lists its lineage (original wording and groups) and each country’s decision.',
  tag: 'consolidation',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  params: cycleParams,
  query: z.strictObject({ format: z.enum(['markdown', 'html']), lang: z.enum(['nl', 'fr']) }),
  response: {
    status: 200,
    description: 'The document',
    schema: z.string(),
    alternates: [
      { contentType: 'text/markdown', description: 'Markdown' },
      { contentType: 'text/html', description: 'A self-contained HTML page' },
    ],
  },
  handle: async ({ params, query, deps }) => {
    const doc = await readConsolidated(deps.models, params.cycleId);
    const filename = `${params.cycleId}-consolidated-${query.lang}.${query.format === 'markdown' ? 'md' : 'html'}`;
    const headers = { 'Content-Disposition': `inline; filename="${filename}"` };
    return query.format === 'markdown'
      ? new RawReply('text/markdown; charset=utf-8', toMarkdown(doc, query.lang), headers)
      : new RawReply('text/html; charset=utf-8', toHtml(doc, query.lang), headers);
  },
});
