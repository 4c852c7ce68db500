/**
 * iCalendar for the public-review videoconferences. The UID is the videoconference's stable uid, so
 * calendars update the event in place; SEQUENCE is the videoconference's sequence, which the
 * workflow raises at every change (and for the cancellation, sent with METHOD:CANCEL).
 *
 * A mailing sends the same event to thousands of members, with only the ATTENDEE line their own.
 * The calendar is built once per event version (ical-generator folds lines by encoding each
 * character with a new TextEncoder: about 1 ms a calendar, two calendars a mail) and each
 * recipient's ATTENDEE line, escaped and folded by ical-generator's own functions, replaces a
 * placeholder. A test compares the result with ical-generator's output for awkward names.
 */
import ical, { escape, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { VideoconferenceDoc } from '../../domain/models';

export interface IcsInput {
  videoconference: Pick<VideoconferenceDoc, 'uid' | 'sequence' | 'startsAt' | 'durationMinutes' | 'joinUrl' | 'cancelled'>;
  title: string;
  description?: string;
  organizer: { name: string; email: string };
  attendee?: { name: string; email: string };
  /** DTSTAMP: the outbox entry's creation time, so a resent mail carries the same invitation. */
  stamp: Date;
}

export interface Ics {
  method: 'REQUEST' | 'CANCEL';
  content: string;
}

/** Header-parameter text: no quotes or control characters (CN="..." cannot escape them). */
const param = (text: string) => text.replace(/["\u0000-\u001f\u007f]+/g, ' ').trim();

/** What ical-generator writes for an attendee with these options (see `attendeeLine`). */
const PLACEHOLDER_EMAIL = 'a@placeholder.invalid'; // short: its line must not be folded
const PLACEHOLDER_LINE = `ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:MAILTO:${PLACEHOLDER_EMAIL}`;

/**
 * ical-generator's foldLines for one line (RFC 5545: at most 75 octets, continued after CRLF and
 * a space), without its TextEncoder per character.
 */
function fold(line: string): string {
  let out = '';
  let octets = 0;
  for (let i = 0; i < line.length; i++) {
    let ch = line.charAt(i);
    if (ch >= '\ud800' && ch <= '\udbff') ch += line.charAt(++i);
    const size = ch.length === 1 && ch.charCodeAt(0) < 0x80 ? 1 : Buffer.byteLength(ch, 'utf8');
    octets += size;
    if (octets > 74) {
      out += '\r\n ';
      octets = size;
    }
    out += ch;
  }
  return out;
}

/** ical-generator's ICalAttendee.toString for { name, email, rsvp: false }, folded as it folds. */
function attendeeLine(attendee: { name: string; email: string }): string {
  const name = param(attendee.name);
  return fold(`ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE${name ? `;CN="${escape(name, true)}"` : ''}:MAILTO:${escape(attendee.email, false)}`);
}

/** The calendar as ical-generator writes it; `attendee` may be the placeholder. */
function buildCalendar(input: IcsInput, attendee: { name: string; email: string } | undefined): Ics {
  const vc = input.videoconference;
  const method = vc.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const calendar = ical({ prodId: { company: 'Smart', product: 'Smart in Progress', language: 'EN' }, method });
  const start = new Date(vc.startsAt);
  calendar.createEvent({
    id: vc.uid,
    sequence: vc.sequence,
    stamp: input.stamp,
    start,
    end: new Date(start.getTime() + vc.durationMinutes * 60_000),
    summary: input.title,
    description: input.description ?? null,
    location: vc.joinUrl,
    url: vc.joinUrl,
    status: vc.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: param(input.organizer.name), email: input.organizer.email },
    attendees: attendee ? [{ name: param(attendee.name), email: attendee.email, rsvp: false }] : [],
  });
  return { method: vc.cancelled ? 'CANCEL' : 'REQUEST', content: calendar.toString() };
}

/** Built calendars of recent mailings, by everything but the attendee (bounded: oldest dropped). */
const templates = new Map<string, Ics & { placeholderAt: number }>();
const TEMPLATES_KEPT = 256;

function templateFor(input: IcsInput): (Ics & { placeholderAt: number }) | undefined {
  const vc = input.videoconference;
  const key = JSON.stringify([
    vc.uid, vc.sequence, new Date(vc.startsAt).getTime(), vc.durationMinutes, vc.joinUrl, Boolean(vc.cancelled),
    input.title, input.description ?? null, input.organizer, input.stamp.getTime(),
  ]);
  const cached = templates.get(key);
  if (cached) return cached.placeholderAt >= 0 ? cached : undefined;
  const built = buildCalendar(input, { name: '', email: PLACEHOLDER_EMAIL });
  const template = { ...built, placeholderAt: built.content.indexOf(PLACEHOLDER_LINE) };
  if (templates.size >= TEMPLATES_KEPT) templates.delete(templates.keys().next().value!);
  templates.set(key, template);
  return template.placeholderAt >= 0 ? template : undefined;
}

/** METHOD:REQUEST for an invitation or a change, METHOD:CANCEL for a cancelled videoconference. */
export function videoconferenceIcs(input: IcsInput): Ics {
  if (!input.attendee) return buildCalendar(input, undefined);
  const template = templateFor(input);
  // Not found would mean ical-generator changed how it writes an attendee: build it whole.
  if (!template) {
    icsCounters.builtWhole += 1;
    return buildCalendar(input, input.attendee);
  }
  icsCounters.spliced += 1;
  const { content, placeholderAt } = template;
  return {
    method: template.method,
    content: content.slice(0, placeholderAt) + attendeeLine(input.attendee) + content.slice(placeholderAt + PLACEHOLDER_LINE.length),
  };
}

/** How invitations were made since start (tests check the splice is the path taken). */
export const icsCounters = { spliced: 0, builtWhole: 0 };

/** The calendar built whole by ical-generator: what the spliced one must equal (tests). */
export const videoconferenceIcsUncached = (input: IcsInput): Ics => buildCalendar(input, input.attendee);
