import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { MAX_DECISIONS_PER_BATCH, boardWorkflowId, recordDecisionsUpdate } from '../../../../workflows/board/contract';
import { updateWorkflow } from '../../../temporal';
import { boardParams, boardStatusSchema, decisionSchema } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Records a batch of decisions (a board meeting's minutes) in one update: all or none. */
export default defineRoute({
  name: 'boards.decideBatch',
  method: 'post',
  path: '/admin/cycles/{cycleId}/boards/{country}/decisions/batch',
  summary: `Record up to ${MAX_DECISIONS_PER_BATCH} board decisions at once`,
  description: 'The workflow validates the whole batch first: one bad decision rejects the batch and nothing is stored.',
  tag: 'boards',
  access: { roles: ['staff', 'board_secretary'], country: (params) => params.country },
  params: boardParams,
  body: z.strictObject({ decisions: z.array(decisionSchema).min(1).max(MAX_DECISIONS_PER_BATCH) }).openapi('BoardDecisionBatch'),
  response: { status: 200, description: 'The board status after the batch', schema: boardStatusSchema },
  errors: [409],
  audit: 'board.decide_batch',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    if (!cycle.countries.some((c) => c.country === params.country)) throw new NotFoundError('board', params.country);
    const workflowId = boardWorkflowId(params.cycleId, params.country);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, recordDecisionsUpdate,
      { decisions: body.decisions.map((d) => ({ ...d, decidedBy: principal.keyId })) }, updateId,
    );
    audit.workflowId = workflowId;
    audit.details = { country: params.country, decisions: body.decisions.length };
    return status;
  },
});
