import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { listVideoconferences } from '../../../usecases/videoconferences';
import { vcView, videoconferenceSchema } from './schemas';

/** A cycle's videoconferences with their RSVP counts. */
export default defineRoute({
  name: 'videoconferences.list',
  method: 'get',
  path: '/admin/cycles/{cycleId}/videoconferences',
  summary: 'List a cycle’s videoconferences',
  tag: 'public review',
  access: { roles: ['staff', 'operator'] },
  params: cycleParams,
  response: { status: 200, description: 'Videoconferences by date', schema: z.object({ items: z.array(videoconferenceSchema) }) },
  handle: async ({ params, deps }) => ({
    items: (await listVideoconferences(deps.models, params.cycleId)).map(({ vc, rsvp }) => vcView(vc, rsvp)),
  }),
});
