/**
 * Local dates as staff type them, turned into instants with luxon in a country's IANA zone, and the
 * checks every cycle's dates must pass: known zones, in the future, in the order of the process.
 */
import { DateTime, IANAZone } from 'luxon';
import { ValidationError, type FieldProblem } from '../../domain/errors';
import { CYCLE_DEADLINES, type CycleDeadlineName, type CycleDeadlines } from '../../domain/types';

/** Dates whose date-only form means the end of that day (a deadline), not its start. */
const END_OF_DAY = /Deadline$|ClosesAt$/;

/**
 * `2020-03-31` (start of day, or end of day for a deadline), `2020-03-31T18:00` (local wall time)
 * or an instant with an offset (kept as given). Returns an ISO instant in UTC, or undefined.
 */
export function toInstant(value: string, timeZone: string, name: string): string | undefined {
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(value);
  let date = hasOffset ? DateTime.fromISO(value, { setZone: true }) : DateTime.fromISO(value, { zone: timeZone });
  if (!date.isValid) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && END_OF_DAY.test(name)) date = date.endOf('day');
  return date.toUTC().toISO() ?? undefined;
}

export function isZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export interface LocalCountry {
  country: string;
  timeZone: string;
  boardDeadline: string;
  assemblyDate: string;
}

/** Converts and checks a whole cycle's dates; throws ValidationError naming every bad field. */
export function convertCycleDates(
  input: { dates: Record<CycleDeadlineName, string>; countries: LocalCountry[]; timeZone?: string },
  now = new Date(),
): { deadlines: CycleDeadlines; countries: { country: string; boardDeadline: string; assemblyDate: string }[] } {
  const problems: FieldProblem[] = [];
  const zone = input.timeZone ?? input.countries[0]?.timeZone;
  if (input.timeZone !== undefined && !isZone(input.timeZone)) {
    problems.push({ path: 'body.timeZone', message: `unknown IANA time zone ${input.timeZone}` });
  }
  input.countries.forEach((c, i) => {
    if (!isZone(c.timeZone)) problems.push({ path: `body.countries.${i}.timeZone`, message: `unknown IANA time zone ${c.timeZone}` });
  });
  const seen = new Set<string>();
  input.countries.forEach((c, i) => {
    if (seen.has(c.country)) problems.push({ path: `body.countries.${i}.country`, message: `${c.country} appears twice` });
    seen.add(c.country);
  });
  if (problems.length) throw new ValidationError('the cycle configuration is invalid', problems);

  const deadlines = {} as CycleDeadlines;
  for (const name of CYCLE_DEADLINES) {
    const instant = toInstant(input.dates[name], zone as string, name);
    if (!instant) problems.push({ path: `body.dates.${name}`, message: 'not a valid date' });
    else deadlines[name] = instant;
  }
  const countries = input.countries.map((c, i) => {
    const boardDeadline = toInstant(c.boardDeadline, c.timeZone, 'boardDeadline');
    const assemblyDate = toInstant(c.assemblyDate, c.timeZone, 'assemblyDate');
    if (!boardDeadline) problems.push({ path: `body.countries.${i}.boardDeadline`, message: 'not a valid date' });
    if (!assemblyDate) problems.push({ path: `body.countries.${i}.assemblyDate`, message: 'not a valid date' });
    return { country: c.country, boardDeadline: boardDeadline ?? '', assemblyDate: assemblyDate ?? '' };
  });
  if (problems.length) throw new ValidationError('the cycle configuration is invalid', problems);

  // In the future, in the order of the process.
  const order: [string, string][] = CYCLE_DEADLINES.map((name) => [`body.dates.${name}`, deadlines[name]]);
  for (const [path, value] of order) {
    if (Date.parse(value) <= now.getTime()) problems.push({ path, message: `${value} is in the past` });
  }
  for (let i = 1; i < order.length; i++) {
    const strict = order[i][0] !== 'body.dates.publicReviewOpensAt'; // review may open as approvals close
    const [prevPath, prev] = order[i - 1];
    const [path, value] = order[i];
    if (strict ? Date.parse(value) <= Date.parse(prev) : Date.parse(value) < Date.parse(prev)) {
      problems.push({ path, message: `must be after ${prevPath.replace('body.dates.', '')} (${prev})` });
    }
  }
  const reviewCloses = Date.parse(deadlines.publicReviewClosesAt);
  countries.forEach((c, i) => {
    if (Date.parse(c.boardDeadline) <= reviewCloses) {
      problems.push({ path: `body.countries.${i}.boardDeadline`, message: `must be after publicReviewClosesAt (${deadlines.publicReviewClosesAt})` });
    }
    if (Date.parse(c.assemblyDate) <= Date.parse(c.boardDeadline)) {
      problems.push({ path: `body.countries.${i}.assemblyDate`, message: `must be after boardDeadline (${c.boardDeadline})` });
    }
  });
  if (problems.length) throw new ValidationError('the cycle dates are not in order or not in the future', problems);
  return { deadlines, countries };
}

/** Converts one date for an extension; checks the zone and the future. */
export function convertOne(value: string, timeZone: string, name: string, path: string, now = new Date()): string {
  if (!isZone(timeZone)) throw new ValidationError('unknown time zone', [{ path: 'body.timeZone', message: `unknown IANA time zone ${timeZone}` }]);
  const instant = toInstant(value, timeZone, name);
  if (!instant) throw new ValidationError('not a valid date', [{ path, message: 'not a valid date' }]);
  if (Date.parse(instant) <= now.getTime()) throw new ValidationError('the date is in the past', [{ path, message: `${instant} is in the past` }]);
  return instant;
}
