import { defineRoute } from '../../../registry';
import { cancelVideoconference } from '../../../usecases/videoconferences';
import { vcParams, vcView, videoconferenceSchema } from './schemas';

/** Cancels a videoconference; the raised sequence makes the cancellation replace the invitation. */
export default defineRoute({
  name: 'videoconferences.cancel',
  method: 'post',
  path: '/admin/cycles/{cycleId}/videoconferences/{videoconferenceId}/cancel',
  summary: 'Cancel a videoconference',
  tag: 'public review',
  access: { roles: ['staff'] },
  params: vcParams,
  response: { status: 200, description: 'The cancelled videoconference', schema: videoconferenceSchema },
  errors: [409],
  audit: 'videoconference.cancel',
  handle: async ({ params, deps, audit }) => {
    const vc = await cancelVideoconference(deps.models, params.cycleId, params.videoconferenceId);
    audit.subject = vc._id;
    audit.details = { sequence: vc.sequence };
    return vcView(vc);
  },
});
