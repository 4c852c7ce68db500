/**
 * The cycle's state inside its workflow and the rules its staff updates check. Plain data and
 * synchronous checks: validators call them and reject with the product's failure types.
 */
import {
  CYCLE_DEADLINES, DEADLINE_PHASE, PHASES, type AssemblyStatus, type BoardStatus, type CountrySchedule, type CycleDeadlineName,
  type CycleDeadlines, type CyclePolicies, type Phase,
} from '../../domain/types';
import { FAILURE_TYPES } from '../../domain/errors';
import { isId } from '../../domain/ids';
import { isActorId, isInstant, isText, reject } from '../shared/messages';
import type { CycleConfig, CycleStatusView } from './contract';

export const phaseIndex = (phase: Phase) => PHASES.indexOf(phase);

/** The deadline that ends each phase the cycle's own timer closes. */
export const PHASE_END: Partial<Record<Phase, CycleDeadlineName>> = {
  preparation: 'formationOpensAt',
  group_formation: 'formationDeadline',
  deliberation: 'submissionDeadline',
  consolidation: 'publicReviewOpensAt',
  public_review: 'publicReviewClosesAt',
};


/** Phases whose group workflows are alive and hear the cycle's broadcasts. */
export const GROUP_PHASES: Phase[] = ['group_formation', 'deliberation', 'consolidation', 'public_review'];

export type ChildState = 'not_started' | 'starting' | 'running' | 'finished';

export class CycleState {
  loaded = false;
  phase: Phase = 'preparation';
  phaseEnteredAt = '';
  /** The phase whose projection is written (the update that closes a phase early waits for it). */
  projectedPhase?: Phase;
  /** Broadcast and projection sequence: raised at each phase change, extension, block. */
  seq = 0;
  deadlines!: CycleDeadlines;
  countries: CountrySchedule[] = [];
  policies!: CyclePolicies;
  consolidationVersion = 0;
  publishedAt?: string;
  /** Group workflows this cycle started (id → state); groups registered before formation wait in `pendingGroups`. */
  groups = new Map<string, ChildState>();
  pendingGroups = new Map<string, 'office' | 'online'>();
  onlineGroups = new Set<string>();
  formationStarted = false;
  boards = new Map<string, { state: ChildState; status?: BoardStatus }>();
  assemblies = new Map<string, { state: ChildState; status?: AssemblyStatus }>();
  closeRequested?: { phase: Phase; actorId: string };
  cancel?: { reason: string; actorId: string };
  cancelled = false;
  blockedOn?: string;
  /** Raised by every extension: timers re-arm. */
  datesVersion = 0;
  /** Raised by every approvalSettled signal: the consolidation gate looks again. */
  settled = 0;
  requestingApprovals = false;
  remindersHandled = new Set<string>();

  constructor(readonly cycleId: string) {}

  load(config: CycleConfig, now: string): void {
    this.deadlines = { ...config.deadlines };
    this.countries = config.countries.map((c) => ({ ...c }));
    this.policies = config.policies;
    this.phaseEnteredAt = now;
    for (const c of config.countries) {
      this.boards.set(c.country, { state: 'not_started' });
      this.assemblies.set(c.country, { state: 'not_started' });
    }
    this.loaded = true;
  }

  country(code: string): CountrySchedule | undefined {
    return this.countries.find((c) => c.country === code);
  }

  projectionCountries() {
    return this.countries.map((c) => ({
      country: c.country,
      boardDeadline: c.boardDeadline,
      assemblyDate: c.assemblyDate,
      board: this.boards.get(c.country)?.status ?? this.boards.get(c.country)?.state ?? 'not_started',
      assembly: this.assemblies.get(c.country)?.status ?? this.assemblies.get(c.country)?.state ?? 'not_started',
    }));
  }

  view(): CycleStatusView {
    const states = [...this.groups.values()];
    return {
      cycleId: this.cycleId,
      phase: this.phase,
      phaseEnteredAt: this.phaseEnteredAt,
      deadlines: { ...this.deadlines },
      countries: this.loaded ? this.projectionCountries() : [],
      groups: { total: this.groups.size, open: states.filter((x) => x === 'running' || x === 'starting').length, online: this.onlineGroups.size },
      consolidationVersion: this.consolidationVersion,
      cancelled: this.cancelled || this.cancel !== undefined,
      ...(this.blockedOn ? { blockedOn: this.blockedOn } : {}),
    };
  }

  // --- validators --------------------------------------------------------------------------------

  private checkRunning(actorId: unknown): void {
    if (!this.loaded) reject(FAILURE_TYPES.WRONG_PHASE, 'the cycle is starting; try again in a moment');
    if (this.cancel || this.cancelled) reject(FAILURE_TYPES.WRONG_PHASE, 'the cycle is cancelled');
    if (this.phase === 'follow_up') reject(FAILURE_TYPES.WRONG_PHASE, 'the cycle is over (follow-up)');
    if (!isActorId(actorId)) reject(FAILURE_TYPES.INVALID_DECISION, 'actorId is required');
  }

  private checkNewDate(until: unknown, current: string, what: string): void {
    if (!isInstant(until)) reject(FAILURE_TYPES.INVALID_DECISION, `${what}: until must be an ISO-8601 instant`);
    if (Date.parse(until) <= Date.now()) reject(FAILURE_TYPES.INVALID_DECISION, `${what}: the new date is in the past`);
    if (Date.parse(until) <= Date.parse(current)) reject(FAILURE_TYPES.INVALID_DECISION, `${what}: an extension moves the date later (now ${current})`);
  }

  checkExtension(arg: { deadline: CycleDeadlineName; until: string; actorId: string }): void {
    this.checkRunning(arg?.actorId);
    const name = arg.deadline;
    if (!(CYCLE_DEADLINES as readonly string[]).includes(name)) reject(FAILURE_TYPES.UNKNOWN_SUBJECT, `unknown deadline ${String(name)}`);
    const owner = DEADLINE_PHASE[name];
    if (phaseIndex(this.phase) > phaseIndex(owner)) reject(FAILURE_TYPES.WRONG_PHASE, `${name} belongs to ${owner}, which is closed`);
    this.checkNewDate(arg.until, this.deadlines[name], name);
    const until = Date.parse(arg.until);
    for (const later of CYCLE_DEADLINES.slice(CYCLE_DEADLINES.indexOf(name) + 1)) {
      if (until > Date.parse(this.deadlines[later])) reject(FAILURE_TYPES.INVALID_DECISION, `${name} would pass ${later} (${this.deadlines[later]}): move that one first`);
    }
    if (name === 'publicReviewClosesAt') {
      for (const c of this.countries) {
        if (until > Date.parse(c.boardDeadline)) reject(FAILURE_TYPES.INVALID_DECISION, `publicReviewClosesAt would pass the ${c.country} board deadline`);
      }
    }
  }

  checkCountryExtension(arg: { country: string; date: 'boardDeadline' | 'assemblyDate'; until: string; actorId: string }): void {
    this.checkRunning(arg?.actorId);
    const c = this.country(arg.country);
    if (!c) reject(FAILURE_TYPES.UNKNOWN_SUBJECT, `country ${String(arg.country)} is not in this cycle`);
    if (arg.date !== 'boardDeadline' && arg.date !== 'assemblyDate') reject(FAILURE_TYPES.INVALID_DECISION, 'date is boardDeadline or assemblyDate');
    if (arg.date === 'boardDeadline') {
      if (this.boards.get(c.country)?.state === 'finished') reject(FAILURE_TYPES.WRONG_PHASE, `the ${c.country} board review is closed`);
      this.checkNewDate(arg.until, c.boardDeadline, `${c.country} boardDeadline`);
      if (Date.parse(arg.until) > Date.parse(c.assemblyDate)) reject(FAILURE_TYPES.INVALID_DECISION, `the board deadline would pass the ${c.country} assembly date: move that one first`);
    } else {
      const a = this.assemblies.get(c.country);
      if (a?.state === 'finished' || a?.status === 'awaiting_result' || a?.status === 'ratified') {
        reject(FAILURE_TYPES.WRONG_PHASE, `the ${c.country} assembly date has passed`);
      }
      this.checkNewDate(arg.until, c.assemblyDate, `${c.country} assemblyDate`);
    }
  }

  checkCloseEarly(arg: { phase: Phase; actorId: string }): void {
    this.checkRunning(arg?.actorId);
    if (arg.phase !== this.phase) reject(FAILURE_TYPES.WRONG_PHASE, `the cycle is in ${this.phase}, not ${String(arg.phase)}`);
    if (!PHASE_END[arg.phase]) reject(FAILURE_TYPES.WRONG_PHASE, `${arg.phase} ends with its boards and assemblies, not early`);
    if (this.closeRequested) reject(FAILURE_TYPES.CONFLICT, `${this.phase} is already closing`);
  }

  checkCancel(arg: { reason: string; actorId: string }): void {
    this.checkRunning(arg?.actorId);
    if (!isText(arg.reason, 2000)) reject(FAILURE_TYPES.INVALID_DECISION, 'a reason (at most 2000 characters) is required');
  }

  checkRegister(arg: { groupId: string; actorId: string }): void {
    this.checkRunning(arg?.actorId);
    if (this.phase !== 'preparation' && this.phase !== 'group_formation') {
      reject(FAILURE_TYPES.WRONG_PHASE, `groups are added during preparation or group formation; the cycle is in ${this.phase}`);
    }
    if (typeof arg.groupId !== 'string' || !isId(arg.groupId)) reject(FAILURE_TYPES.INVALID_DECISION, 'groupId must be an id');
  }

  checkRequestApprovals(arg: { actorId: string }): void {
    this.checkRunning(arg?.actorId);
    if (this.phase !== 'consolidation') reject(FAILURE_TYPES.WRONG_PHASE, `approvals are asked during consolidation; the cycle is in ${this.phase}`);
    if (Date.now() >= Date.parse(this.deadlines.approvalDeadline)) {
      reject(FAILURE_TYPES.WRONG_PHASE, 'the approval deadline has passed: extend it before asking again');
    }
    if (this.requestingApprovals) reject(FAILURE_TYPES.CONFLICT, 'approvals are being requested already');
  }
}
