import type { Connection, Model } from 'mongoose';
import { cycleSchema, type CycleDoc } from './cycle';
import {
  memberSchema, officeSchema, themeSchema, type MemberDoc, type OfficeDoc, type ThemeDoc,
} from './reference';
import {
  groupSchema, meetingSchema, membershipSchema, type GroupDoc, type MeetingDoc, type MembershipDoc,
} from './group';
import {
  consolidatedSchema, reactionSchema, recommendationSchema,
  type ConsolidatedDoc, type ReactionDoc, type RecommendationDoc,
} from './recommendation';
import {
  assemblySchema, backlogSchema, rsvpSchema, videoconferenceSchema,
  type AssemblyDoc, type BacklogDoc, type RsvpDoc, type VideoconferenceDoc,
} from './review';
import { projectSchema, type ProjectDoc } from './followup';
import {
  apiKeySchema, auditSchema, idempotencySchema, type ApiKeyDoc, type AuditDoc, type IdempotencyDoc,
} from './operations';
import { outboxSchema, type OutboxDoc } from './mail';

export * from './cycle';
export * from './reference';
export * from './group';
export * from './recommendation';
export * from './review';
export * from './followup';
export * from './operations';
export * from './mail';

/** Every model of the product, bound to one connection (tests use one database per file). */
export interface Models {
  Cycle: Model<CycleDoc>;
  Office: Model<OfficeDoc>;
  Member: Model<MemberDoc>;
  Theme: Model<ThemeDoc>;
  Group: Model<GroupDoc>;
  Membership: Model<MembershipDoc>;
  Meeting: Model<MeetingDoc>;
  Recommendation: Model<RecommendationDoc>;
  Consolidated: Model<ConsolidatedDoc>;
  Reaction: Model<ReactionDoc>;
  Videoconference: Model<VideoconferenceDoc>;
  Rsvp: Model<RsvpDoc>;
  Assembly: Model<AssemblyDoc>;
  Backlog: Model<BacklogDoc>;
  Project: Model<ProjectDoc>;
  Audit: Model<AuditDoc>;
  ApiKey: Model<ApiKeyDoc>;
  Idempotency: Model<IdempotencyDoc>;
  Outbox: Model<OutboxDoc>;
}

/** Binds every schema to the connection; call once per connection (worker, api, test file). */
export function createModels(connection: Connection): Models {
  const model = <T>(name: string, schema: import('mongoose').Schema<T>, collection: string) =>
    (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema, collection);
  return {
    Cycle: model('Cycle', cycleSchema, 'cycles'),
    Office: model('Office', officeSchema, 'offices'),
    Member: model('Member', memberSchema, 'members'),
    Theme: model('Theme', themeSchema, 'themes'),
    Group: model('Group', groupSchema, 'groups'),
    Membership: model('Membership', membershipSchema, 'memberships'),
    Meeting: model('Meeting', meetingSchema, 'meetings'),
    Recommendation: model('Recommendation', recommendationSchema, 'recommendations'),
    Consolidated: model('Consolidated', consolidatedSchema, 'consolidated'),
    Reaction: model('Reaction', reactionSchema, 'reactions'),
    Videoconference: model('Videoconference', videoconferenceSchema, 'videoconferences'),
    Rsvp: model('Rsvp', rsvpSchema, 'rsvps'),
    Assembly: model('Assembly', assemblySchema, 'assemblies'),
    Backlog: model('Backlog', backlogSchema, 'backlog'),
    Project: model('Project', projectSchema, 'projects'),
    Audit: model('Audit', auditSchema, 'audit'),
    ApiKey: model('ApiKey', apiKeySchema, 'api_keys'),
    Idempotency: model('Idempotency', idempotencySchema, 'idempotency'),
    Outbox: model('Outbox', outboxSchema, 'outbox'),
  };
}

/** Creates the indexes (unique keys included); FerretDB builds them, it just does not plan with them. */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) {
    await model.createIndexes();
  }
}
