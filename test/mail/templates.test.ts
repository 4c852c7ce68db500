/**
 * Every template in nl, fr and en through real SMTP into the harness's Mailpit: both parts,
 * no placeholder left, the link and List-Unsubscribe where they belong; hostile names and titles
 * (CR/LF, <script>) stay text; iCalendar UID, SEQUENCE and CANCEL.
 */
import type { Transporter } from 'nodemailer';
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { createMailActivities, createMailTransport, type MailDeps } from '../../activities/mail';
import type { MailTemplate, SendMailInput } from '../../activities/mail/contract';
import { CATALOGS } from '../../activities/mail/i18n';
import { LANGUAGES, type Language } from '../../domain/types';
import { useTestDatabase } from '../support/mongo';
import { MailpitClient, type Message } from '../support/mailpit';
import { memoryLogger, rand, seedWorld, type World } from '../links/seed';

const db = useTestDatabase();
let models: Models;
let transport: Transporter;
const mailpit = new MailpitClient();
const BASE = 'https://participation.smart.coop';

beforeAll(async () => {
  models = createModels(db().connection);
  await syncIndexes(models);
  transport = createMailTransport({ SMTP_URL: process.env.SMTP_URL!, SMTP_POOL_SIZE: 3 });
});
afterAll(() => transport?.close());

function deps(over: Partial<MailDeps> = {}): MailDeps {
  return {
    models,
    transport,
    config: { MAIL_FROM: 'Smart in Progress <participation@smart.coop>', PUBLIC_BASE_URL: BASE, LINK_SECRET: 's'.repeat(40), SMTP_POOL_SIZE: 3 },
    logger: memoryLogger(),
    roleMailboxes: { staff: `staff-${rand()}@test.smart.example`, boardSecretary: { BE: `board-be-${rand()}@test.smart.example` } },
    ...over,
  };
}

const expires = '2030-01-01T00:00:00.000Z';

function inputs(w: World, memberId: string, projectId: string): Record<MailTemplate, SendMailInput> {
  const group = `cycle:${w.cycleId}:group:${w.groupId}`;
  const cycle = `cycle:${w.cycleId}`;
  const member = { memberId };
  const base = (workflowId: string, template: MailTemplate, over: Partial<SendMailInput> = {}): SendMailInput => ({
    workflowId, purpose: template, version: '1', template, recipient: member, data: {}, ...over,
  });
  return {
    group_invitation: base(group, 'group_invitation', { link: { actions: ['confirm_membership'], workflowId: group, subjectId: w.groupId, version: '1', expiresAt: expires } }),
    moderator_invitation: base(group, 'moderator_invitation', { link: { actions: ['accept_moderator'], workflowId: group, subjectId: w.groupId, version: '1', expiresAt: expires } }),
    framing_brief: base(group, 'framing_brief'),
    group_fallen_back: base(group, 'group_fallen_back', { data: { fallbackGroupId: w.groupId } }),
    group_cancelled: base(group, 'group_cancelled'),
    submission_reminder: base(group, 'submission_reminder'),
    approval_request: base(group, 'approval_request', { version: '2', link: { actions: ['approve_consolidation', 'request_change'], workflowId: group, subjectId: w.groupId, version: '2', expiresAt: expires } }),
    approval_reminder: base(group, 'approval_reminder', { version: '2', link: { actions: ['approve_consolidation', 'request_change'], workflowId: group, subjectId: w.groupId, version: '2', expiresAt: expires } }),
    public_review_invitation: base(cycle, 'public_review_invitation', { version: '2', link: { actions: ['react', 'rsvp'], workflowId: cycle, subjectId: w.cycleId, version: '2', expiresAt: expires } }),
    videoconference_update: base(cycle, 'videoconference_update', { data: { videoconferenceId: w.videoconferenceIds[0] }, link: { actions: ['rsvp'], workflowId: cycle, subjectId: w.videoconferenceIds[0], version: '0', expiresAt: expires } }),
    board_reminder: base(`cycle:${w.cycleId}:board:BE`, 'board_reminder', { recipient: { role: 'board_secretary', country: 'BE' }, data: { country: 'BE', undecided: 7, deadline: '2026-06-01T08:00:00.000Z' } }),
    staff_alert: base(group, 'staff_alert', { recipient: { role: 'staff' }, data: { kind: 'smtp_failures', failed: 3, purpose: 'framing_brief' } }),
    progress_request: base(`project:${projectId}`, 'progress_request', { link: { actions: ['report_progress'], workflowId: `project:${projectId}`, subjectId: projectId, version: '1', expiresAt: expires } }),
    assembly_outcome: base(`cycle:${w.cycleId}:assembly:BE`, 'assembly_outcome', { data: { country: 'BE', ratified: 12 } }),
  };
}

const NOTIFICATIONS = new Set(['public_review_invitation', 'videoconference_update', 'assembly_outcome']);

describe('templates in three languages', () => {
  test.each(LANGUAGES)('when every template is sent to a member reading %s, then each mail has both parts in that language, no placeholder, and its link', async (language: Language) => {
    const w = await seedWorld(models, { members: 1, languages: [language] });
    const m = w.members[0];
    const projectId = `p${w.suffix}`;
    await models.Project.create({ _id: projectId, kind: 'local_initiative', cycleId: w.cycleId, country: 'BE', title: `Member meetups ${w.suffix}`, description: '', status: 'active', progress: [] });
    const d = deps();
    const { sendMail } = createMailActivities(d);
    const all = inputs(w, m._id, projectId);
    for (const [template, input] of Object.entries(all)) {
      const role = 'role' in input.recipient;
      const sent = await sendMail(role ? { ...input, recipient: { ...input.recipient, language } } : input);
      expect({ template, state: sent.state }).toEqual({ template, state: 'sent' });
    }
    const catalog = CATALOGS[language];
    const memberMails = await mailpit.waitForRecipient(m.email, 12);
    const roleMails = [
      ...(await mailpit.waitForRecipient(d.roleMailboxes!.staff, 1)),
      ...(await mailpit.waitForRecipient(d.roleMailboxes!.boardSecretary!.BE, 1)),
    ];
    expect(memberMails).toHaveLength(12);
    for (const mail of [...memberMails, ...roleMails]) {
      expect(mail.Subject.length).toBeGreaterThan(10);
      expect(mail.Text).toContain(catalog.common.signature);
      expect(mail.HTML).toContain(`lang="${language}"`);
      // Link tokens are random base64url and may spell "NaN" or "undefined": drop them before the check.
      const withoutTokens = (part: string) => part.replace(/\/l\/[A-Za-z0-9_-]+/g, '/TOKEN');
      for (const part of [mail.Subject, mail.Text, mail.HTML]) expect(withoutTokens(part)).not.toMatch(/\{\{|\}\}|undefined|NaN/);
    }
    for (const mail of memberMails) expect(mail.Text.startsWith(catalog.common.greeting.replace('{{name}}', m.name))).toBe(true);
    for (const mail of roleMails) expect(mail.Text.startsWith(catalog.common.greetingRole)).toBe(true);
    // Subjects are the catalog's, one per template (the videoconference one names the debate).
    const subjects = memberMails.map((mail) => mail.Subject);
    expect(subjects).toContain(`${catalog.mail.framing_brief.subject.replace('{{themeTitle}}', { nl: 'Gendergelijkheid', fr: 'Égalité de genre', en: 'Gender equality' }[language])}`);
    // Seven templates carry an action link; the three notifications carry an unsubscribe link.
    const withAction = memberMails.filter((mail) => Object.values(catalog.mail).some((t) => t.action && mail.Text.replace(/\r/g, "").includes(`${t.action}${catalog.common.colon}\n${BASE}/l/`)));
    expect(withAction).toHaveLength(7);
    expect(memberMails.filter((mail) => mail.Text.includes(`${BASE}/l/`))).toHaveLength(8);
    // Exactly the three notifications carry List-Unsubscribe (RFC 8058 one-click) and the footer.
    let notifications = 0;
    for (const mail of memberMails) {
      const headers = await mailpit.headers(mail.ID);
      const notification = mail.HTML.includes(catalog.common.unsubscribeFooter);
      if (notification) {
        notifications++;
        expect(headers['List-Unsubscribe']?.[0]).toMatch(new RegExp(`^<${BASE}/l/[A-Za-z0-9_-]+>$`));
        expect(headers['List-Unsubscribe-Post']).toEqual(['List-Unsubscribe=One-Click']);
      } else {
        expect(headers['List-Unsubscribe']).toBeUndefined();
      }
    }
    expect(notifications).toBe(NOTIFICATIONS.size);
  });
});

describe('hostile names and titles', () => {
  test('when a name and a group title carry CR/LF and <script>, then headers stay single and the HTML shows text', async () => {
    const w = await seedWorld(models, {
      members: 1,
      languages: ['en'],
      memberName: () => `Eve\r\nBcc: attacker-${rand()}@evil.example\r\n<script>alert(1)</script>`,
      themeTitle: { nl: 'x', fr: 'x', en: '<script>alert("t")</script>\r\nX-Injected: yes' },
      officeCity: 'Liège\r\nSubject: hacked',
    });
    const m = w.members[0];
    const { sendMail } = createMailActivities(deps());
    const group = `cycle:${w.cycleId}:group:${w.groupId}`;
    await sendMail({
      workflowId: group, purpose: 'group_invitation', version: '1', template: 'group_invitation', recipient: { memberId: m._id }, data: {},
      link: { actions: ['confirm_membership'], workflowId: group, subjectId: w.groupId, version: '1', expiresAt: expires },
    });
    const [mail] = await mailpit.waitForRecipient(m.email, 1);
    const raw = await mailpit.raw(mail.ID);
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^(Bcc|X-Injected|Subject: hacked)/im);
    expect(head.match(/^Subject:/gim)).toHaveLength(1);
    expect(mail.To).toHaveLength(1);
    expect(mail.Bcc ?? []).toHaveLength(0);
    // The address in the name is text inside the display name: the only recipient is the member.
    expect(mail.To!.map((a) => a.Address)).toEqual([m.email]);
    expect(mail.Cc ?? []).toHaveLength(0);
    expect(mail.Subject).not.toMatch(/[\r\n]/);
    expect(mail.HTML).not.toContain('<script>');
    expect(mail.HTML).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;');
    expect(mail.HTML).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.Text).toContain('<script>alert("t")</script>'); // text/plain shows text as it is
  });
});

describe('iCalendar', () => {
  async function calendarParts(mail: Message): Promise<string[]> {
    const parts = [...mail.Attachments, ...mail.Inline].filter((a) => a.ContentType.startsWith('text/calendar') || a.FileName.endsWith('.ics'));
    return Promise.all(parts.map(async (a) => (await mailpit.attachment(mail.ID, a.PartID)).toString('utf8')));
  }
  const field = (ics: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(ics.replace(/\r\n[ \t]/g, ''))?.[1]?.trim();

  test('when invited, then changed, then cancelled, then the UID stays, SEQUENCE rises and the cancellation is METHOD:CANCEL', async () => {
    const w = await seedWorld(models, { members: 1, languages: ['fr'], phase: 'public_review' });
    const m = w.members[0];
    const cycle = `cycle:${w.cycleId}`;
    const { sendMail } = createMailActivities(deps());
    await sendMail({ workflowId: cycle, purpose: 'public_review_invitation', version: '2', template: 'public_review_invitation', recipient: { memberId: m._id }, data: {} });
    const [invite] = await mailpit.waitForRecipient(m.email, 1);
    const invites = await calendarParts(invite);
    expect(invites).toHaveLength(2);
    expect(invites.map((ics) => field(ics, 'UID')).sort()).toEqual(w.videoconferenceIds.map((id) => `${id}@smart-in-progress`).sort());
    for (const ics of invites) {
      expect(field(ics, 'METHOD')).toBe('REQUEST');
      expect(field(ics, 'SEQUENCE')).toBe('0');
    }

    const vcId = w.videoconferenceIds[0];
    await models.Videoconference.updateOne({ _id: vcId }, { $set: { startsAt: new Date('2026-04-22T18:30:00Z'), sequence: 1 } });
    await sendMail({ workflowId: cycle, purpose: `videoconference_update:${vcId}`, version: '1', template: 'videoconference_update', recipient: { memberId: m._id }, data: { videoconferenceId: vcId } });
    await models.Videoconference.updateOne({ _id: vcId }, { $set: { cancelled: true, sequence: 2 } });
    await sendMail({ workflowId: cycle, purpose: `videoconference_update:${vcId}`, version: '2', template: 'videoconference_update', recipient: { memberId: m._id }, data: { videoconferenceId: vcId } });
    const mails = await mailpit.waitForRecipient(m.email, 3);
    const change = mails.find((x) => x.Subject.startsWith('Smart in Progress : visioconférence'))!;
    const cancel = mails.find((x) => x.Subject.startsWith('Annulée'))!;
    const [changed] = await calendarParts(change);
    expect(field(changed, 'UID')).toBe(`${vcId}@smart-in-progress`);
    expect(field(changed, 'SEQUENCE')).toBe('1');
    expect(field(changed, 'METHOD')).toBe('REQUEST');
    expect(field(changed, 'DTSTART')).toBe('20260422T183000Z');
    const [cancelled] = await calendarParts(cancel);
    expect(field(cancelled, 'UID')).toBe(`${vcId}@smart-in-progress`);
    expect(field(cancelled, 'SEQUENCE')).toBe('2');
    expect(field(cancelled, 'METHOD')).toBe('CANCEL');
    expect(field(cancelled, 'STATUS')).toBe('CANCELLED');
  });
});
