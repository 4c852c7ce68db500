import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { boardWorkflowId, recordDecisionUpdate } from '../../../../workflows/board/contract';
import { updateWorkflow } from '../../../temporal';
import { boardParams, boardStatusSchema, decisionSchema } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Records one board decision; the board workflow checks the phase, the scope and the content. */
export default defineRoute({
  name: 'boards.decide',
  method: 'post',
  path: '/admin/cycles/{cycleId}/boards/{country}/decisions',
  summary: 'Record a board decision on one recommendation',
  description: 'Board secretaries record their own country’s decisions; staff may record any. Wrong phase → 409; unknown recommendation or invalid content → 422.',
  tag: 'boards',
  access: { roles: ['staff', 'board_secretary'], country: (params) => params.country },
  params: boardParams,
  body: decisionSchema,
  response: { status: 200, description: 'The board status after the decision', schema: boardStatusSchema },
  errors: [409],
  audit: 'board.decide',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    if (!cycle.countries.some((c) => c.country === params.country)) throw new NotFoundError('board', params.country);
    const workflowId = boardWorkflowId(params.cycleId, params.country);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, recordDecisionUpdate, { ...body, decidedBy: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.subject = body.recommendationId;
    audit.details = { country: params.country, outcome: body.outcome };
    return status;
  },
});
