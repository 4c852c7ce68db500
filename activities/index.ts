/**
 * Every activity the worker registers, built from its dependencies (only worker/ creates
 * connections). Workflows import the `Activities` type only and proxy what they call.
 */
import type { Client } from '@temporalio/client';
import type { Models } from '../domain/models';
import { createMailActivities, type MailActivities, type MailDeps } from './mail';
import { createCycleStorage } from './storage/cycle';
import { createGroupStorage } from './storage/groups';
import { createConsolidationStorage } from './storage/consolidation';
import { createBoardStorage } from './storage/board';
import { createFollowUpStorage } from './storage/followup';
import { createReminderActivities } from './storage/reminders';
import { createTemporalActivities } from './temporal/broadcast';

export interface ActivityDeps {
  models: Models;
  /** The mail activities' dependencies except the models (transport, config, logger, mailboxes). */
  mail: Omit<MailDeps, 'models'>;
  /** For the activities that message other workflows (broadcasts to groups). */
  temporalClient: Client;
}

/** Builds the activities of the worker: storage of each aggregate, mail, Temporal messages. */
export function createActivities(deps: ActivityDeps) {
  const mail: MailActivities = createMailActivities({ ...deps.mail, models: deps.models });
  return {
    ...mail,
    ...createCycleStorage(deps.models),
    ...createGroupStorage(deps.models),
    ...createConsolidationStorage(deps.models),
    ...createBoardStorage(deps.models),
    ...createFollowUpStorage(deps.models),
    ...createReminderActivities(deps.models, mail),
    ...createTemporalActivities({ models: deps.models, client: deps.temporalClient }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
