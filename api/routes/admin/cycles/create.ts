import { defineRoute } from '../../../registry';
import { createCycle } from '../../../../activities/storage/cycle-config';
import { convertCycleDates } from '../../../usecases/cycle-dates';
import { cycleInputSchema, cycleSchema, cycleView } from './schemas';

/** Creates an edition in draft: countries with their zones and dates, cycle dates, policies. */
export default defineRoute({
  name: 'cycles.create',
  method: 'post',
  path: '/admin/cycles',
  summary: 'Create and configure a cycle (edition)',
  description:
    'Local dates are converted to instants in each country’s IANA time zone; every date must be in ' +
    'the future and in the order of the process (formation opens < formation deadline < submission ' +
    '< approval ≤ review opens < review closes < each board deadline < that country’s assembly).',
  tag: 'cycles',
  access: { roles: ['staff'] },
  body: cycleInputSchema,
  response: { status: 201, description: 'The stored cycle, in draft', schema: cycleSchema },
  errors: [409],
  audit: 'cycle.create',
  handle: async ({ body, deps, principal, audit }) => {
    const { deadlines, countries } = convertCycleDates({ dates: body.dates, countries: body.countries, timeZone: body.timeZone });
    const cycle = await createCycle(
      deps.models,
      {
        id: body.id,
        label: body.label,
        deadlines,
        countries: body.countries.map((c, i) => ({
          country: c.country,
          timeZone: c.timeZone,
          languages: c.languages,
          boardDeadline: countries[i].boardDeadline,
          assemblyDate: countries[i].assemblyDate,
        })),
        policies: body.policies,
        previousCycleId: body.previousCycleId,
      },
      principal.keyId,
    );
    audit.cycleId = cycle._id;
    audit.subject = cycle._id;
    return cycleView(cycle);
  },
});
