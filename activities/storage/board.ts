/**
 * The boards' and assemblies' storage. A board decision is stored on the consolidated
 * recommendation under its country (a shared recommendation carries both countries' decisions);
 * an assembly result turns ratified decisions into strategic-plan projects and carries the rest
 * into the backlog of the next cycle. Deterministic ids throughout: a retry writes nothing twice.
 */
import type { AssemblyDoc, ConsolidatedDoc, Models, StoredDecision } from '../../domain/models';
import type { AssemblyVote, BoardDecision, CountryCode } from '../../domain/types';
import type { AssemblyResultInput } from '../../workflows/assembly/contract';
import { activityNow, audit, casConsolidated, fail, FAILURE_TYPES, isDuplicateKey, systemActor } from './process-util';

/** The final status of a recommendation in one country after its assembly. */
export type FinalStatus = 'adopted' | 'adopted_reformulated' | 'postponed' | 'refused' | 'not_ratified' | 'no_decision';

export const projectIdFor = (cycleId: string, number: number, country: CountryCode) => `${cycleId}-r${number}-${country}`.slice(0, 64);
export const backlogIdFor = (cycleId: string, recommendationId: string, country: CountryCode) => `${cycleId}:${recommendationId}:${country}`;

/**
 * A country's recommendations, read by an indexed equality on `countries` (an array: the
 * equality matches an element), not the cycle's whole document with every country's decisions
 * (4,526 recommendations at Smart's size). `fields` narrows what is read further.
 */
async function scopeOf(
  models: Models, cycleId: string, country: CountryCode, fields?: Record<string, 1>,
): Promise<ConsolidatedDoc[]> {
  const projection = fields ? { ...fields, number: 1, withdrawn: 1 } : undefined;
  const docs = await models.Consolidated.find({ cycleId, countries: country }, projection).lean<ConsolidatedDoc[]>();
  return docs.filter((d) => !d.withdrawn).sort((a, b) => a.number - b.number);
}

function ratifiedBy(votes: AssemblyVote): boolean {
  return votes.for > votes.against;
}

export function createBoardStorage(models: Models) {
  return {
    /** The recommendations a country's board decides: published, not withdrawn, naming the country. */
    async loadBoardScope(input: { cycleId: string; country: CountryCode }): Promise<{ recommendationIds: string[]; decided: string[] }> {
      const docs = await scopeOf(models, input.cycleId, input.country, { decisions: 1 });
      return {
        recommendationIds: docs.map((d) => d._id),
        decided: docs.filter((d) => d.decisions.some((x) => x.country === input.country)).map((d) => d._id),
      };
    },

    /**
     * Stores decisions of one board (a first decision or an audited revision). `revision` comes
     * from the workflow, so a retried write stores the same decision, not a newer one.
     */
    async storeDecisions(input: {
      cycleId: string; country: CountryCode; decisions: (BoardDecision & { revision: number })[]; decidedAt: string; auditId: string;
    }): Promise<{ stored: number }> {
      const decidedAt = new Date(input.decidedAt);
      for (const d of input.decisions) {
        const stored: StoredDecision = {
          country: input.country,
          outcome: d.outcome,
          motivation: { criteria: [...d.motivation.criteria], text: d.motivation.text.trim() },
          ...(d.outcome === 'reformulate' && d.newWording ? { newWording: { title: d.newWording.title.trim(), text: d.newWording.text.trim() } } : {}),
          ...(d.outcome === 'postpone' && d.postponeTo ? { postponeTo: d.postponeTo } : {}),
          decidedBy: d.decidedBy,
          decidedAt,
          revision: d.revision,
        };
        await casConsolidated(models, d.recommendationId, (doc) => {
          if (doc.cycleId !== input.cycleId) fail(FAILURE_TYPES.UNKNOWN_SUBJECT, `${d.recommendationId} is not in cycle ${input.cycleId}`);
          const current = doc.decisions.find((x) => x.country === input.country);
          if (current && current.revision >= d.revision) return null;
          return { decisions: [...doc.decisions.filter((x) => x.country !== input.country), stored] };
        });
      }
      await audit(models, {
        _id: input.auditId,
        actor: { kind: 'board_secretary', id: input.decisions[0]?.decidedBy ?? 'unknown' },
        action: input.decisions.some((d) => d.revision > 1) ? 'board.decisions_revised' : 'board.decisions_recorded',
        cycleId: input.cycleId,
        subject: input.country,
        details: {
          decisions: input.decisions.map((d) => ({ recommendationId: d.recommendationId, outcome: d.outcome, revision: d.revision, criteria: d.motivation.criteria })),
        },
      });
      return { stored: input.decisions.length };
    },

    /** A board closed at the assembly date with recommendations undecided: they become no_decision. */
    async markNoDecision(input: { cycleId: string; country: CountryCode; recommendationIds: string[] }): Promise<{ marked: number }> {
      for (const id of input.recommendationIds) {
        await casConsolidated(models, id, (doc) => {
          if (doc.finalStatus.some((f) => f.country === input.country)) return null;
          return { finalStatus: [...doc.finalStatus, { country: input.country, status: 'no_decision' }] };
        });
      }
      await audit(models, {
        _id: `board:${input.cycleId}:${input.country}:no_decision`,
        actor: systemActor(`cycle:${input.cycleId}:board:${input.country}`),
        action: 'board.closed_with_undecided',
        cycleId: input.cycleId,
        subject: input.country,
        details: { recommendationIds: input.recommendationIds },
      });
      return { marked: input.recommendationIds.length };
    },

    /** What an assembly votes on: every recommendation in the country's scope. */
    async loadAssemblyScope(input: { cycleId: string; country: CountryCode }): Promise<{ recommendationIds: string[] }> {
      return { recommendationIds: (await scopeOf(models, input.cycleId, input.country, { _id: 1 })).map((d) => d._id) };
    },

    /**
     * Applies an assembly's result: ratified accepted or reformulated recommendations become
     * strategic-plan projects; postponed, undecided and not ratified ones go to the backlog;
     * ratified refusals end there. The chosen themes seed the next cycle.
     */
    async applyAssemblyResult(input: {
      cycleId: string; country: CountryCode; date: string; result: AssemblyResultInput; auditId: string;
    }): Promise<{ ratified: number; projectIds: string[]; backlog: number; statuses: Record<string, number> }> {
      const now = activityNow();
      const docs = await scopeOf(models, input.cycleId, input.country, { title: 1, text: 1, decisions: 1 });
      const perRec = new Map<string, AssemblyVote>();
      if (input.result.mode === 'per_recommendation') for (const item of input.result.items) perRec.set(item.recommendationId, item.votes);
      const votesFor = (id: string): AssemblyVote => (input.result.mode === 'en_bloc' ? input.result.votes : perRec.get(id) ?? { for: 0, against: 0, abstain: 0 });

      const assemblyDoc: AssemblyDoc = {
        _id: `${input.cycleId}:${input.country}`,
        cycleId: input.cycleId,
        country: input.country,
        date: input.date,
        mode: input.result.mode,
        ...(input.result.mode === 'en_bloc' ? { enBlocVote: input.result.votes } : {}),
        items: docs.map((d) => ({ recommendationId: d._id, votes: votesFor(d._id), ratified: ratifiedBy(votesFor(d._id)) })),
        nextThemes: input.result.nextThemes,
        recordedAt: now,
        recordedBy: input.result.actorId,
      };
      const { _id: assemblyId, ...assemblyFields } = assemblyDoc;
      await models.Assembly.updateOne({ _id: assemblyId }, { $set: assemblyFields }, { upsert: true });

      const projectIds: string[] = [];
      const statuses: Record<string, number> = {};
      let backlog = 0;
      let ratified = 0;
      for (const doc of docs) {
        const votes = votesFor(doc._id);
        const isRatified = ratifiedBy(votes);
        const decision = doc.decisions.find((x) => x.country === input.country);
        let status: FinalStatus;
        if (!decision) status = 'no_decision';
        else if (!isRatified) status = 'not_ratified';
        else if (decision.outcome === 'accept') status = 'adopted';
        else if (decision.outcome === 'reformulate') status = 'adopted_reformulated';
        else if (decision.outcome === 'postpone') status = 'postponed';
        else status = 'refused';
        if (isRatified && decision) ratified += 1;
        statuses[status] = (statuses[status] ?? 0) + 1;

        let projectId: string | undefined;
        if (status === 'adopted' || status === 'adopted_reformulated') {
          projectId = projectIdFor(input.cycleId, doc.number, input.country);
          projectIds.push(projectId);
          try {
            await models.Project.create({
              _id: projectId,
              kind: 'strategic_plan',
              cycleId: input.cycleId,
              country: input.country,
              recommendationId: doc._id,
              title: decision?.newWording?.title ?? doc.title,
              description: decision?.newWording?.text ?? doc.text,
              status: 'active',
              progress: [],
            });
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
          }
        }
        if (status === 'postponed' || status === 'no_decision' || status === 'not_ratified') {
          backlog += 1;
          const postponedUntil = status === 'postponed' && decision?.postponeTo
            ? (decision.postponeTo.kind === 'date' ? decision.postponeTo.date : 'next_cycle')
            : undefined;
          await models.Backlog.updateOne(
            { _id: backlogIdFor(input.cycleId, doc._id, input.country) },
            {
              $setOnInsert: { fromCycleId: input.cycleId, recommendationId: doc._id, country: input.country },
              $set: { reason: status === 'postponed' ? 'postponed' : status, ...(postponedUntil ? { postponedUntil } : {}) },
            },
            { upsert: true },
          );
        }
        await casConsolidated(models, doc._id, (current) => {
          const assembly = [
            ...current.assembly.filter((a) => a.country !== input.country),
            { country: input.country, ratified: isRatified, votes, recordedAt: now },
          ];
          const finalStatus = [
            ...current.finalStatus.filter((f) => f.country !== input.country),
            { country: input.country, status, ...(projectId ? { projectId } : {}) },
          ];
          const same = current.assembly.some((a) => a.country === input.country && a.ratified === isRatified)
            && current.finalStatus.some((f) => f.country === input.country && f.status === status);
          return same ? null : { assembly, finalStatus };
        });
      }

      // The themes that seed the next cycle stay in this assembly's document (one writer per
      // document): merged into the cycle's, nine assemblies recording at once could each undo
      // another's list (a read-modify-write, on MongoDB as on FerretDB).

      await audit(models, {
        _id: input.auditId,
        actor: { kind: 'staff', id: input.result.actorId },
        action: 'assembly.result_recorded',
        cycleId: input.cycleId,
        subject: input.country,
        details: { mode: input.result.mode, ratified, projects: projectIds.length, backlog, statuses },
      });
      return { ratified, projectIds, backlog, statuses };
    },
  };
}
