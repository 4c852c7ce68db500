import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { listMeetings } from '../../../../activities/storage/meetings';
import { groupParams } from '../groups/schemas';
import { meetingSchema, meetingView } from './schemas';

/** A group's meetings (joint ones hosted by another group included), by date. */
export default defineRoute({
  name: 'meetings.list',
  method: 'get',
  path: '/admin/cycles/{cycleId}/groups/{groupId}/meetings',
  summary: 'List a group’s meetings',
  tag: 'meetings',
  access: { roles: ['staff', 'operator'] },
  params: groupParams,
  response: { status: 200, description: 'Meetings', schema: z.object({ items: z.array(meetingSchema) }) },
  handle: async ({ params, deps }) => ({
    items: (await listMeetings(deps.models, params.cycleId, params.groupId)).map(meetingView),
  }),
});
