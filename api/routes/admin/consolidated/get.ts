import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { readConsolidated } from '../../../usecases/consolidated';
import { queryBoolean } from '../../ops/schemas';
import { consolidatedDocumentSchema } from './schemas';

/** The consolidated document as JSON: each recommendation with lineage, decisions and assembly outcome. */
export default defineRoute({
  name: 'consolidated.get',
  method: 'get',
  path: '/admin/cycles/{cycleId}/consolidated',
  summary: 'Read the consolidated document (JSON)',
  tag: 'consolidation',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  params: cycleParams,
  query: z.strictObject({ includeWithdrawn: queryBoolean.optional() }),
  response: { status: 200, description: 'The document', schema: consolidatedDocumentSchema },
  handle: async ({ params, query, deps }) => readConsolidated(deps.models, params.cycleId, { includeWithdrawn: query.includeWithdrawn }),
});
