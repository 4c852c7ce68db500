/**
 * The videoconference invitation spliced from a calendar built once per mailing must be byte for
 * byte what ical-generator writes for that recipient, whatever the name: escaping, quoting and
 * line folding at 75 octets (multi-byte characters on the fold) stay ical-generator's.
 */
import { icsCounters, videoconferenceIcs, videoconferenceIcsUncached, type IcsInput } from '../../activities/mail/ics';

const base = (over: Partial<IcsInput['videoconference']> = {}): Omit<IcsInput, 'attendee'> => ({
  videoconference: {
    uid: 'vc-1@smart-in-progress', sequence: 2, startsAt: new Date('2026-03-02T17:30:00Z'), durationMinutes: 90,
    joinUrl: 'https://meet.example.org/smart-public-review-be-1', cancelled: false, ...over,
  },
  title: 'Revue publique : recommandations 1 à 120 (Belgique)',
  description: 'Les recommandations consolidées, présentées par leurs groupes.',
  organizer: { name: 'Smart in Progress', email: 'participation@smart.coop' },
  stamp: new Date('2026-02-20T09:00:00Z'),
});

const names = [
  'Ann Peeters',
  '',
  'Élodie Van den Broeck-Dupont de la Très Longue Famille Aristocratique du Brabant',
  'A "quoted" name',
  'semi;colon, comma: colon \\ backslash',
  'line\r\nbreak\tand tab',
  '👩‍💻 Zoë Çelik-Ødegård 日本語の名前 with emoji at the fold 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉',
  'x'.repeat(58) + 'é' + 'y'.repeat(80),
  'lone \ud83d high and \ude00 low surrogates ' + 'z'.repeat(40),
];
const emails = ['ann.peeters@example.org', 'very.long.address+smart-in-progress-2026@subdomain.of.a.cooperative.example.org'];

test('when a mailing sends one event to many members, then each spliced invitation equals the calendar built for that member', () => {
  const before = { ...icsCounters };
  for (const cancelled of [false, true]) {
    for (const name of names) {
      for (const email of emails) {
        const input: IcsInput = { ...base({ cancelled }), attendee: { name, email } };
        const spliced = videoconferenceIcs(input);
        expect(spliced).toEqual(videoconferenceIcsUncached(input));
        expect(spliced.content).not.toContain('placeholder.invalid');
      }
    }
  }
  expect(icsCounters.spliced - before.spliced).toBe(2 * names.length * emails.length);
  expect(icsCounters.builtWhole).toBe(before.builtWhole);
});

test('when the event changes (sequence, time, stamp), then the invitation is built for the new version, not served from an older one', () => {
  const attendee = { name: 'Ann Peeters', email: 'ann.peeters@example.org' };
  const first = videoconferenceIcs({ ...base(), attendee }).content;
  const moved = videoconferenceIcs({ ...base({ sequence: 3, startsAt: new Date('2026-03-03T17:30:00Z') }), attendee }).content;
  expect(moved).toContain('SEQUENCE:3');
  expect(moved).toContain('DTSTART:20260303T173000Z');
  expect(first).toContain('SEQUENCE:2');
  const restamped = videoconferenceIcs({ ...base(), stamp: new Date('2026-02-21T09:00:00Z'), attendee }).content;
  expect(restamped).toContain('DTSTAMP:20260221T090000Z');
  const role = videoconferenceIcs(base());
  expect(role.content).not.toContain('ATTENDEE');
  expect(role).toEqual(videoconferenceIcsUncached(base()));
});
