/**
 * iCalendar for the public-review videoconferences. The UID is the videoconference's stable uid, so
 * calendars update the event in place; SEQUENCE is the videoconference's sequence, which the
 * workflow raises at every change (and for the cancellation, sent with METHOD:CANCEL).
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
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

/** Header-parameter text: no quotes or control characters (CN="..." cannot escape them). */
const param = (text: string) => text.replace(/["\u0000-\u001f\u007f]+/g, ' ').trim();

/** METHOD:REQUEST for an invitation or a change, METHOD:CANCEL for a cancelled videoconference. */
export function videoconferenceIcs(input: IcsInput): { method: 'REQUEST' | 'CANCEL'; content: string } {
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
    attendees: input.attendee ? [{ name: param(input.attendee.name), email: input.attendee.email, rsvp: false }] : [],
  });
  return { method: vc.cancelled ? 'CANCEL' : 'REQUEST', content: calendar.toString() };
}
