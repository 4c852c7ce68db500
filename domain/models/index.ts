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
  apiKeySchema, auditSchema, counterSchema, idempotencySchema, type ApiKeyDoc, type AuditDoc, type CounterDoc, type IdempotencyDoc,
} from './operations';
import {
  outboxClaimSchema, outboxResultSchema, outboxSchema,
  type OutboxClaimDoc, type OutboxDoc, type OutboxResultDoc,
} from './mail';
import {
  linkRecentSchema, linkRevocationSchema, linkUseSchema,
  type LinkRecentDoc, type LinkRevocationDoc, type LinkUseDoc,
} from './link';

export * from './cycle';
export * from './reference';
export * from './group';
export * from './recommendation';
export * from './review';
export * from './followup';
export * from './operations';
export * from './mail';
export * from './link';

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
  Counter: Model<CounterDoc>;
  ApiKey: Model<ApiKeyDoc>;
  Idempotency: Model<IdempotencyDoc>;
  Outbox: Model<OutboxDoc>;
  OutboxClaim: Model<OutboxClaimDoc>;
  OutboxResult: Model<OutboxResultDoc>;
  LinkUse: Model<LinkUseDoc>;
  LinkRecent: Model<LinkRecentDoc>;
  LinkRevocation: Model<LinkRevocationDoc>;
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
    Counter: model('Counter', counterSchema, 'counters'),
    ApiKey: model('ApiKey', apiKeySchema, 'api_keys'),
    Idempotency: model('Idempotency', idempotencySchema, 'idempotency'),
    Outbox: model('Outbox', outboxSchema, 'outbox'),
    OutboxClaim: model('OutboxClaim', outboxClaimSchema, 'outbox_claims'),
    OutboxResult: model('OutboxResult', outboxResultSchema, 'outbox_results'),
    LinkUse: model('LinkUse', linkUseSchema, 'link_uses'),
    LinkRecent: model('LinkRecent', linkRecentSchema, 'link_recent'),
    LinkRevocation: model('LinkRevocation', linkRevocationSchema, 'link_revocations'),
  };
}

/** Creates the indexes (unique keys included); FerretDB builds them, it just does not plan with them. */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) {
    await model.createIndexes();
  }
}
