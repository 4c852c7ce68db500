import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { configureCycle, requireCycle } from '../../../../activities/storage/cycle-config';
import { convertCycleDates } from '../../../usecases/cycle-dates';
import { cycleParams } from '../../../schemas';
import { countryInputSchema, cycleSchema, cycleView, localDatesSchema, policiesSchema } from './schemas';
import { ValidationError } from '../../../../domain/errors';

const body = z
  .strictObject({
    label: z.string().min(1).max(100).optional(),
    timeZone: z.string().min(1).optional(),
    dates: localDatesSchema.optional(),
    countries: z.array(countryInputSchema).min(1).max(30).optional(),
    policies: policiesSchema.optional(),
  })
  .openapi('CycleConfigPatch');

/** Changes a draft cycle; dates and countries are given whole (they are checked together). */
export default defineRoute({
  name: 'cycles.configure',
  method: 'patch',
  path: '/admin/cycles/{cycleId}',
  summary: 'Change a cycle’s configuration before it starts',
  description: 'Only while the cycle is a draft; once it runs, dates move with the extend routes. `dates` and `countries` go together.',
  tag: 'cycles',
  access: { roles: ['staff'] },
  params: cycleParams,
  body,
  response: { status: 200, description: 'The changed cycle', schema: cycleSchema },
  errors: [409],
  audit: 'cycle.configure',
  handle: async ({ params, body, deps, audit }) => {
    const current = await requireCycle(deps.models, params.cycleId);
    const patch: Parameters<typeof configureCycle>[2] = {};
    if (body.label) patch.label = body.label;
    if (body.policies) patch.policies = body.policies;
    if (body.dates || body.countries) {
      if (!body.dates || !body.countries) {
        throw new ValidationError('dates and countries are changed together', [
          { path: body.dates ? 'body.countries' : 'body.dates', message: 'required when changing dates or countries' },
        ]);
      }
      const converted = convertCycleDates({ dates: body.dates, countries: body.countries, timeZone: body.timeZone });
      patch.deadlines = converted.deadlines;
      patch.countries = body.countries.map((c, i) => ({
        country: c.country,
        timeZone: c.timeZone,
        languages: c.languages,
        boardDeadline: converted.countries[i].boardDeadline,
        assemblyDate: converted.countries[i].assemblyDate,
      }));
    }
    const cycle = await configureCycle(deps.models, current._id, patch);
    audit.subject = cycle._id;
    audit.details = { changed: Object.keys(body) };
    return cycleView(cycle);
  },
});
