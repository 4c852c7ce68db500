import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Models } from '../domain/models';

/** What the api needs from the outside world; `api/main.ts` builds it, tests build their own. */
export interface AppDeps {
  config: Config;
  models: Models;
  temporalClient: Client;
  logger: Logger;
}

export interface AppOptions {
  /**
   * Check every JSON response against its documented schema and answer 500 on a mismatch.
   * On in tests, so the OpenAPI document cannot drift from what the routes return.
   */
  validateResponses?: boolean;
}
