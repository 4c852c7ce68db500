import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { requireCycle } from '../../../../activities/storage/cycle-config';
import { countrySchema, idSchema, localDateTimeSchema } from '../../../schemas';
import { cycleWorkflowId, extendCountryDateUpdate } from '../../../../workflows/cycle/contract';
import { updateWorkflow } from '../../../temporal';
import { convertOne } from '../../../usecases/cycle-dates';
import { cycleStatusSchema } from './schemas';
import { NotFoundError } from '../../../../domain/errors';

/** Moves a country's board deadline or assembly date later (in that country's time zone). */
export default defineRoute({
  name: 'cycles.extendCountryDate',
  method: 'post',
  path: '/admin/cycles/{cycleId}/countries/{country}/{date}/extend',
  summary: 'Extend a country’s board deadline or assembly date',
  tag: 'cycles',
  access: { roles: ['staff'] },
  params: z.strictObject({ cycleId: idSchema, country: countrySchema, date: z.enum(['boardDeadline', 'assemblyDate']) }),
  body: z.strictObject({ until: localDateTimeSchema }).openapi('ExtendCountryDate'),
  response: { status: 200, description: 'The cycle status after the change', schema: cycleStatusSchema },
  errors: [409],
  audit: 'cycle.extend_country_date',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const cycle = await requireCycle(deps.models, params.cycleId);
    const schedule = cycle.countries.find((c) => c.country === params.country);
    if (!schedule) throw new NotFoundError('country', params.country);
    const until = convertOne(body.until, schedule.timeZone, params.date, 'body.until');
    const workflowId = cycleWorkflowId(cycle._id);
    const status = await updateWorkflow(
      deps.temporalClient, workflowId, extendCountryDateUpdate,
      { country: params.country, date: params.date, until, actorId: principal.keyId }, updateId,
    );
    audit.workflowId = workflowId;
    audit.subject = `${params.country}:${params.date}`;
    audit.details = { until };
    return status;
  },
});
