/**
 * The consolidated document: staff (the Cooperative Life team) build one list from every group's
 * submission by taking originals over, merging, splitting and rewording, and withdrawing. Every
 * consolidated recommendation keeps its lineage to each original it comes from (the seed: "every
 * nuance traceable"), and every edit raises its revision.
 *
 * The api calls the staff functions during the consolidation phase (they check the projection
 * themselves too). Each is idempotent under its operation id (`opId`, the request's idempotency
 * key): new documents carry `createdByOp`, so a retried operation finds them instead of creating
 * twice. No transactions on FerretDB: each step is a single-document write, in an order where a
 * crash leaves at worst an unused number.
 *
 * The workflow-side activities (freeze, publish) are at the end of the file.
 */
import type { ConsolidatedDoc, GroupDoc, LineageLink, Models, RecommendationDoc } from '../../domain/models';
import type { CountryCode, LineageRelation } from '../../domain/types';
import { ConflictError, NotFoundError, ValidationError, WrongPhaseError } from '../../domain/errors';
import { activityNow, audit, fail, FAILURE_TYPES, isDuplicateKey } from './process-util';

export interface WordingInput {
  title: string;
  text: string;
  context?: string;
  countries?: CountryCode[];
}

export interface StaffOp {
  cycleId: string;
  actorId: string;
  /** Idempotency key of the operation (a retried request passes the same one). */
  opId: string;
}

const LIMITS = { title: 200, text: 4000, context: 4000 };

function checkWording(w: Partial<WordingInput>, required: boolean): void {
  const problems: { path: string; message: string }[] = [];
  for (const field of ['title', 'text'] as const) {
    const value = w[field];
    if (value === undefined && !required) continue;
    if (typeof value !== 'string' || value.trim() === '') problems.push({ path: field, message: 'required' });
    else if (value.length > LIMITS[field]) problems.push({ path: field, message: `at most ${LIMITS[field]} characters` });
  }
  if (w.context !== undefined && w.context.length > LIMITS.context) problems.push({ path: 'context', message: `at most ${LIMITS.context} characters` });
  if (w.countries !== undefined && (!Array.isArray(w.countries) || w.countries.length === 0 || w.countries.some((c) => !/^[A-Z]{2}$/.test(c)))) {
    problems.push({ path: 'countries', message: 'one or more ISO country codes' });
  }
  if (problems.length) throw new ValidationError('invalid wording', problems);
}

async function requireConsolidationPhase(models: Models, cycleId: string): Promise<{ countries: CountryCode[] }> {
  const cycle = await models.Cycle.findOne({ _id: cycleId }, { projection: 1, status: 1, countries: 1 }).lean();
  if (!cycle) throw new NotFoundError('cycle', cycleId);
  if (cycle.status !== 'running' || cycle.projection.phase !== 'consolidation') {
    throw new WrongPhaseError(`the consolidated document can be edited during consolidation; cycle ${cycleId} is in ${cycle.projection.phase}`, {
      phase: cycle.projection.phase,
    });
  }
  return { countries: cycle.countries.map((c) => c.country) };
}

/** `count` numbers after the last one handed out (see CounterDoc: they may collide on FerretDB). */
async function allocateNumbers(models: Models, cycleId: string, count: number): Promise<number[]> {
  const counter = await models.Counter.findOneAndUpdate(
    { _id: `consolidation:${cycleId}` },
    { $inc: { value: count } },
    { upsert: true, returnDocument: 'after', lean: true },
  );
  const last = counter?.value ?? count;
  return Array.from({ length: count }, (_, i) => last - count + 1 + i);
}

/** After a collision: the counter moves past every number in use (a lost `$inc`, or numbers set before it existed). */
async function skipUsedNumbers(models: Models, cycleId: string): Promise<void> {
  const used = await models.Consolidated.find({ cycleId }, { number: 1 }).lean();
  const highest = used.reduce((max, d) => Math.max(max, d.number), 0);
  await models.Counter.updateOne({ _id: `consolidation:${cycleId}` }, { $max: { value: highest } }, { upsert: true });
}

async function activeDocs(models: Models, cycleId: string, ids: string[]): Promise<ConsolidatedDoc[]> {
  const docs = await Promise.all(ids.map((id) => models.Consolidated.findOne({ _id: id }).lean()));
  return docs.map((doc, i) => {
    if (!doc || doc.cycleId !== cycleId) throw new NotFoundError('consolidated recommendation', ids[i]);
    return doc;
  });
}

/** Creates the documents of one operation once: a retry returns those it created before. */
async function createOnce(
  models: Models,
  op: StaffOp,
  drafts: Omit<ConsolidatedDoc, '_id' | 'number' | 'cycleId' | 'createdByOp' | 'revision' | 'withdrawn' | 'decisions' | 'assembly' | 'finalStatus' | 'updatedBy'>[],
): Promise<ConsolidatedDoc[]> {
  const mine = async () => (await models.Consolidated.find({ cycleId: op.cycleId, createdByOp: op.opId }).lean()).sort((a, b) => a.number - b.number);
  for (let attempt = 0; attempt < NUMBERING_ATTEMPTS; attempt++) {
    const existing = await mine();
    if (existing.length === drafts.length) return existing;
    // A crash after some inserts, or numbers taken by another operation: start this op's set again.
    if (existing.length > 0) await models.Consolidated.deleteMany({ cycleId: op.cycleId, createdByOp: op.opId });
    const docs = numbered(op, drafts, await allocateNumbers(models, op.cycleId, drafts.length));
    try {
      await models.Consolidated.insertMany(docs, { ordered: true });
      return docs;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either a retry of this op raced itself (found by `mine` above) or the numbers were in use.
      await skipUsedNumbers(models, op.cycleId);
    }
  }
  throw new Error(`could not number the consolidated recommendations of operation ${op.opId} after ${NUMBERING_ATTEMPTS} attempts`);
}

const NUMBERING_ATTEMPTS = 10;

function numbered(
  op: StaffOp,
  drafts: Parameters<typeof createOnce>[2],
  numbers: number[],
): ConsolidatedDoc[] {
  return drafts.map((d, i) => ({
    ...d,
    _id: `${op.cycleId}:c${numbers[i]}`,
    cycleId: op.cycleId,
    number: numbers[i],
    createdByOp: op.opId,
    revision: 1,
    withdrawn: false,
    decisions: [],
    assembly: [],
    finalStatus: [],
    updatedBy: op.actorId,
  }));
}

const groupIdsOf = (lineage: LineageLink[]) => [...new Set(lineage.map((l) => l.groupId))].sort();

async function withdrawSources(models: Models, sources: ConsolidatedDoc[], into: string[], reason: string, actorId: string): Promise<void> {
  for (const s of sources) {
    await models.Consolidated.updateOne(
      { _id: s._id, withdrawn: false },
      { $set: { withdrawn: true, withdrawnReason: reason, supersededBy: into, updatedBy: actorId }, $inc: { revision: 1 } },
    );
  }
}

/** Countries of an original: its group's office country; an online group's members' countries. */
async function countriesOfGroups(models: Models, groupIds: string[]): Promise<CountryCode[]> {
  const out = new Set<CountryCode>();
  for (const groupId of groupIds) {
    const group = await models.Group.findOne({ _id: groupId }).lean<GroupDoc>();
    if (!group) continue;
    if (group.officeId) {
      const office = await models.Office.findOne({ _id: group.officeId }, { country: 1 }).lean();
      if (office) out.add(office.country);
      continue;
    }
    const theme = await models.Theme.findOne({ _id: group.themeId }, { country: 1 }).lean();
    if (theme) out.add(theme.country);
    const memberIds = (await models.Membership.find({ groupId }, { memberId: 1 }).lean()).map((m) => m.memberId);
    for (const id of memberIds) {
      const m = await models.Member.findOne({ _id: id }, { country: 1 }).lean();
      if (m?.country) out.add(m.country);
    }
  }
  return [...out].sort();
}

async function writeOpAudit(models: Models, op: StaffOp, action: string, subject: string, details: Record<string, unknown>): Promise<void> {
  await audit(models, {
    _id: `consolidation:${op.cycleId}:${op.opId}`,
    actor: { kind: 'staff', id: op.actorId },
    action,
    cycleId: op.cycleId,
    subject,
    details,
    at: new Date(),
  });
}

/**
 * Creates one consolidated recommendation from originals. Relation: `verbatim` when one original
 * is taken unchanged, `reworded` when its wording changes, `merged` for several, or as given.
 * Countries default to those of the groups (an online cross-border group: its members' countries).
 */
export async function createConsolidated(
  models: Models,
  op: StaffOp & { fromRecommendationIds: string[]; relation?: LineageRelation; wording?: WordingInput },
): Promise<ConsolidatedDoc> {
  await requireConsolidationPhase(models, op.cycleId);
  if (op.fromRecommendationIds.length === 0) throw new ValidationError('at least one original', [{ path: 'fromRecommendationIds', message: 'required' }]);
  const originals: RecommendationDoc[] = [];
  for (const id of op.fromRecommendationIds) {
    const rec = await models.Recommendation.findOne({ _id: id }).lean();
    if (!rec || rec.cycleId !== op.cycleId) throw new NotFoundError('recommendation', id);
    if (rec.superseded) throw new ConflictError(`recommendation ${id} was replaced by a later submission of its group`);
    originals.push(rec);
  }
  const first = originals[0];
  const wording = op.wording ?? { title: first.title, text: first.text, context: first.context };
  checkWording(wording, true);
  const unchanged = originals.length === 1 && wording.title === first.title && wording.text === first.text;
  const relation: LineageRelation = op.relation ?? (originals.length > 1 ? 'merged' : unchanged ? 'verbatim' : 'reworded');
  const lineage = originals.map((o) => ({ recommendationId: o._id, groupId: o.groupId, relation }));
  const groupIds = groupIdsOf(lineage);
  const countries = wording.countries ?? (await countriesOfGroups(models, groupIds));
  const [doc] = await createOnce(models, op, [{
    title: wording.title.trim(), text: wording.text.trim(), context: (wording.context ?? first.context).trim(),
    countries, lineage, groupIds,
  }]);
  await writeOpAudit(models, op, 'consolidation.created', doc._id, { from: op.fromRecommendationIds, relation });
  return doc;
}

/** Merges consolidated recommendations into a new one; the sources leave the document. */
export async function mergeConsolidated(models: Models, op: StaffOp & { ids: string[]; wording: WordingInput }): Promise<ConsolidatedDoc> {
  await requireConsolidationPhase(models, op.cycleId);
  if (new Set(op.ids).size < 2) throw new ValidationError('merge needs two or more recommendations', [{ path: 'ids', message: 'two or more distinct ids' }]);
  checkWording(op.wording, true);
  const sources = await activeDocs(models, op.cycleId, op.ids);
  const done = await models.Consolidated.findOne({ cycleId: op.cycleId, createdByOp: op.opId }).lean();
  if (!done && sources.some((s) => s.withdrawn)) throw new ConflictError('a recommendation to merge has already left the document');
  const lineage: LineageLink[] = [];
  for (const s of sources) {
    for (const l of s.lineage) {
      if (!lineage.some((x) => x.recommendationId === l.recommendationId)) lineage.push({ ...l, relation: 'merged' });
    }
  }
  const countries = op.wording.countries ?? [...new Set(sources.flatMap((s) => s.countries))].sort();
  const [doc] = await createOnce(models, op, [{
    title: op.wording.title.trim(), text: op.wording.text.trim(),
    context: (op.wording.context ?? sources.map((s) => s.context).filter(Boolean).join(' ')).trim(),
    countries, lineage, groupIds: groupIdsOf(lineage),
  }]);
  await withdrawSources(models, sources, [doc._id], `merged into ${doc._id}`, op.actorId);
  await writeOpAudit(models, op, 'consolidation.merged', doc._id, { from: op.ids });
  return doc;
}

/** Splits one consolidated recommendation into several; each part keeps the whole lineage. */
export async function splitConsolidated(models: Models, op: StaffOp & { id: string; parts: WordingInput[] }): Promise<ConsolidatedDoc[]> {
  await requireConsolidationPhase(models, op.cycleId);
  if (op.parts.length < 2) throw new ValidationError('split needs two or more parts', [{ path: 'parts', message: 'two or more' }]);
  op.parts.forEach((p) => checkWording(p, true));
  const [source] = await activeDocs(models, op.cycleId, [op.id]);
  const done = await models.Consolidated.findOne({ cycleId: op.cycleId, createdByOp: op.opId }).lean();
  if (!done && source.withdrawn) throw new ConflictError(`${op.id} has already left the document`);
  const lineage = source.lineage.map((l) => ({ ...l, relation: 'split' as const }));
  const docs = await createOnce(models, op, op.parts.map((p) => ({
    title: p.title.trim(), text: p.text.trim(), context: (p.context ?? source.context).trim(),
    countries: p.countries ?? source.countries, lineage, groupIds: groupIdsOf(lineage),
  })));
  await withdrawSources(models, [source], docs.map((d) => d._id), `split into ${docs.map((d) => d._id).join(', ')}`, op.actorId);
  await writeOpAudit(models, op, 'consolidation.split', op.id, { into: docs.map((d) => d._id) });
  return docs;
}

/** Rewords a consolidated recommendation in place (revision + 1; verbatim lineage becomes reworded). */
export async function rewordConsolidated(models: Models, op: StaffOp & { id: string; wording: Partial<WordingInput> }): Promise<ConsolidatedDoc> {
  await requireConsolidationPhase(models, op.cycleId);
  checkWording(op.wording, false);
  const [source] = await activeDocs(models, op.cycleId, [op.id]);
  if (source.withdrawn) throw new ConflictError(`${op.id} has left the document`);
  const already = await models.Audit.findOne({ _id: `consolidation:${op.cycleId}:${op.opId}` }, { _id: 1 }).lean();
  if (already) return source;
  const set: Record<string, unknown> = { updatedBy: op.actorId };
  if (op.wording.title !== undefined) set.title = op.wording.title.trim();
  if (op.wording.text !== undefined) set.text = op.wording.text.trim();
  if (op.wording.context !== undefined) set.context = op.wording.context.trim();
  if (op.wording.countries !== undefined) set.countries = op.wording.countries;
  if (op.wording.title !== undefined || op.wording.text !== undefined) {
    set.lineage = source.lineage.map((l) => ({ ...l, relation: l.relation === 'verbatim' ? 'reworded' : l.relation }));
  }
  const doc = await models.Consolidated.findOneAndUpdate(
    { _id: op.id, revision: source.revision, withdrawn: false },
    { $set: set, $inc: { revision: 1 } },
    { returnDocument: 'after', lean: true },
  );
  if (!doc) throw new ConflictError(`${op.id} changed meanwhile; reload and try again`);
  await writeOpAudit(models, op, 'consolidation.reworded', op.id, { fields: Object.keys(set).filter((k) => k !== 'updatedBy'), revision: doc.revision });
  return doc;
}

/** Takes a recommendation out of the document (kept, with its reason, for the trace). */
export async function withdrawConsolidated(models: Models, op: StaffOp & { id: string; reason: string }): Promise<ConsolidatedDoc> {
  await requireConsolidationPhase(models, op.cycleId);
  if (!op.reason?.trim()) throw new ValidationError('a reason is required', [{ path: 'reason', message: 'required' }]);
  const [source] = await activeDocs(models, op.cycleId, [op.id]);
  const doc = await models.Consolidated.findOneAndUpdate(
    { _id: op.id, withdrawn: false },
    { $set: { withdrawn: true, withdrawnReason: op.reason.trim(), updatedBy: op.actorId }, $inc: { revision: 1 } },
    { returnDocument: 'after', lean: true },
  );
  if (!doc) return source; // already withdrawn (a retry)
  await writeOpAudit(models, op, 'consolidation.withdrawn', op.id, { reason: op.reason.trim() });
  return doc;
}

/** The activities the cycle workflow runs on the consolidated document. */
export function createConsolidationStorage(models: Models) {
  return {
    /**
     * Freezes the document as `version` for the moderators' approval: stamps every recommendation
     * in it and the projection. Refused (Conflict) when the document is empty.
     */
    async freezeConsolidation(input: { cycleId: string; version: number; actorId: string; auditId: string }): Promise<{ recommendations: number; groupsConcerned: number }> {
      const docs = (await models.Consolidated.find({ cycleId: input.cycleId }, { withdrawn: 1, groupIds: 1 }).lean()).filter((d) => !d.withdrawn);
      if (docs.length === 0) fail(FAILURE_TYPES.CONFLICT, 'the consolidated document is empty: build it before asking for approvals');
      await models.Consolidated.updateMany({ cycleId: input.cycleId, withdrawn: false }, { $set: { frozenVersion: input.version } });
      await models.Cycle.updateOne(
        { _id: input.cycleId, 'projection.consolidationVersion': { $lt: input.version } },
        { $set: { 'projection.consolidationVersion': input.version } },
      );
      const groupsConcerned = new Set(docs.flatMap((d) => d.groupIds)).size;
      await audit(models, {
        _id: input.auditId,
        actor: { kind: 'staff', id: input.actorId },
        action: 'consolidation.approvals_requested',
        cycleId: input.cycleId,
        subject: input.cycleId,
        details: { version: input.version, recommendations: docs.length, groupsConcerned },
      });
      return { recommendations: docs.length, groupsConcerned };
    },

    /** Marks the document published (the public review opens). */
    async publishConsolidation(input: { cycleId: string; version: number }): Promise<{ recommendations: number; publishedAt: string }> {
      const now = activityNow();
      await models.Cycle.updateOne({ _id: input.cycleId, 'projection.publishedAt': { $exists: false } }, { $set: { 'projection.publishedAt': now } });
      const cycle = await models.Cycle.findOne({ _id: input.cycleId }, { projection: 1 }).lean();
      const count = (await models.Consolidated.find({ cycleId: input.cycleId }, { withdrawn: 1 }).lean()).filter((d) => !d.withdrawn).length;
      await audit(models, {
        _id: `cycle:${input.cycleId}:published`,
        actor: { kind: 'system', id: `cycle:${input.cycleId}` },
        action: 'consolidation.published',
        cycleId: input.cycleId,
        subject: input.cycleId,
        details: { version: input.version, recommendations: count },
      });
      return { recommendations: count, publishedAt: (cycle?.projection.publishedAt ?? now).toISOString() };
    },
  };
}
