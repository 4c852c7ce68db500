/**
 * Where a mail's client-side CPU goes, stage by stage, for the fan-out's mail (the public-review
 * invitation: rendered in French, a link, two calendars) and for the raw baseline's mail (10 kB
 * of ASCII text and HTML). Each stage runs `--mails` times in this process; the figure is CPU
 * milliseconds a mail (`process.cpuUsage`), so it does not depend on how busy Mailpit is.
 *
 *   npx tsx bench/mail-cost.ts [--smtp smtp://127.0.0.1:1025] [--mails 2000]
 *
 * The SMTP stages need a Mailpit (or any SMTP server that accepts everything): `npm start` runs one
 * on 1025. The fan-out bench's figures say how fast the whole path is; this says which part of
 * the worker's share is ours (render, link, calendar) and which is nodemailer's (MIME composition,
 * the SMTP client).
 */
import { createTransport, type SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { buildMessage, type Sender } from '../activities/mail/message';
import type { MailView } from '../activities/mail/view';
import type { VideoconferenceDoc } from '../domain/models';
import { rawMessage } from './baselines';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const smtpUrl = option('smtp', process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025');
const mails = Number(option('mails', '2000'));
const SECRET = 'mail-cost-bench-secret-mail-cost-bench-secret';
const stamp = new Date('2026-04-01T08:00:00Z');

const videoconferences: VideoconferenceDoc[] = [1, 2].map((k) => ({
  _id: `vc${k}`, cycleId: 'c', uid: `vc${k}@participation.smart.coop`, sequence: 0, title: { fr: `Débat ${k} : la rémunération des sociétaires` },
  startsAt: new Date(`2026-05-0${k}T16:00:00Z`), durationMinutes: 90, joinUrl: `https://meet.smart.coop/debat-${k}`, cancelled: false,
}));
const view: MailView = {
  textsKey: 'public_review_invitation',
  vars: { cycleLabel: '2025-2026', recommendationCount: 4526, closesAt: '15 mai 2026' },
  sections: [],
  videoconferences: videoconferences.map((doc) => ({ doc, title: doc.title.fr! })),
};

const sender: Sender = {
  config: { LINK_SECRET: SECRET, PUBLIC_BASE_URL: 'https://participation.smart.coop' },
  from: { name: 'Smart in Progress', address: 'participation@smart.coop' },
};

/** The fan-out's mail for member i: the product's buildMessage (activities/mail/message.ts). */
function invitation(i: number): SendMailOptions {
  const _id = `outbox-${i}-${'x'.repeat(40)}`;
  return buildMessage(
    sender,
    {
      workflowId: 'cycle:c2026',
      template: 'public_review_invitation',
      link: { actions: ['react', 'rsvp'], workflowId: 'cycle:c2026', subjectId: 'c2026', version: '1', expiresAt: '2026-06-01T00:00:00.000Z' },
    },
    { _id, createdAt: stamp, messageId: `<${_id}@participation.smart.coop>` },
    { memberId: `m${i}`, address: `member-${i}@example.org`, name: `Élise Dupré ${i}`, language: 'fr' },
    view,
  );
}

const raw = (i: number): SendMailOptions => rawMessage(10_000, `raw-${i}@example.org`, i);

async function cpuMsPerMail(run: (i: number) => Promise<unknown> | unknown, concurrency = 1): Promise<number> {
  await run(-1); // warm
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < mails) await run(next++);
  }));
  const used = process.cpuUsage(before);
  return Math.round(((used.user + used.system) / 1000 / mails) * 100) / 100;
}

async function main(): Promise<void> {
  const transport = createTransport({ url: smtpUrl, pool: true, maxConnections: 5, maxMessages: 500, logger: false } as Parameters<typeof createTransport>[0]);
  const build = (m: SendMailOptions) => new MailComposer(m).compile().build();
  const envelope = (m: SendMailOptions) => ({ from: 'participation@smart.coop', to: [typeof m.to === 'string' ? m.to : (m.to as { address: string }).address] });
  const bytes = { invitation: (await build(invitation(0))).length, raw: (await build(raw(0))).length };
  const prebuilt = { invitation: await build(invitation(0)), raw: await build(raw(0)) };
  const rows: [string, number, number][] = [];
  const stage = async (name: string, ours: (i: number) => unknown, baseline: (i: number) => unknown, concurrency = 1) =>
    rows.push([name, await cpuMsPerMail(ours, concurrency), await cpuMsPerMail(baseline, concurrency)]);
  await stage('message object (render, two links, two calendars)', invitation, raw);
  await stage('+ MIME composition (nodemailer MailComposer)', (i) => build(invitation(i)), (i) => build(raw(i)));
  await stage('SMTP of the composed message (pooled, 10 at once)',
    () => transport.sendMail({ envelope: envelope(invitation(0)), raw: prebuilt.invitation }),
    () => transport.sendMail({ envelope: envelope(raw(0)), raw: prebuilt.raw }), 10);
  await stage('whole sendMail (pooled, 10 at once)', (i) => transport.sendMail(invitation(i)), (i) => transport.sendMail(raw(i)), 10);
  transport.close();
  console.log(`client CPU a mail, ${mails} mails a stage, into ${smtpUrl}; messages of ${bytes.invitation} B (invitation) and ${bytes.raw} B (raw baseline)`);
  console.table(rows.map(([name, ours, base]) => ({ stage: name, 'invitation ms': ours, 'raw baseline ms': base })));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
