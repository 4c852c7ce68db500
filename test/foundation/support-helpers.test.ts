import nodemailer from 'nodemailer';
import { searchAttributes } from '../../config/search-attributes';
import { MailpitClient, startPrivateMailpit, uniqueAddress, type PrivateMailpit } from '../support/mailpit';
import { connectTestDatabase, useTestDatabase } from '../support/mongo';
import { connectDevServer } from '../support/temporal';

describe('mongo helper', () => {
  const db = useTestDatabase();

  test('gives the file a database of its own on FerretDB', async () => {
    expect(db().name).toMatch(/^t_support_helpers_[0-9a-f]{8}$/);
    await db().connection.collection('things').insertOne({ _id: 'a' as never, n: 1 });
    expect(await db().connection.collection('things').countDocuments()).toBe(1);
  });

  test('drop() removes the database', async () => {
    const other = await connectTestDatabase('dropped');
    await other.connection.collection('x').insertOne({ n: 1 });
    await other.drop();
    const { databases } = await db().connection.db!.admin().listDatabases();
    expect(databases.map((d) => d.name)).not.toContain(other.name);
  });
});

describe('mailpit helper', () => {
  const mailpit = new MailpitClient();
  const transport = nodemailer.createTransport(process.env.SMTP_URL);
  afterAll(() => transport.close());

  test('reads text, HTML, headers and attachments of a message sent over SMTP', async () => {
    const to = uniqueAddress('helper');
    await transport.sendMail({
      from: 'Smart in Progress <participation@smart.coop>',
      to,
      subject: 'Invitation',
      text: 'Hello in text',
      html: '<p>Hello in <b>HTML</b></p>',
      headers: { 'X-Sip-Test': 'yes' },
      attachments: [{ filename: 'meeting.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', contentType: 'text/calendar' }],
    });
    const [message] = await mailpit.waitForRecipient(to, 1);
    expect(message.Subject).toBe('Invitation');
    expect(message.Text.trim()).toBe('Hello in text');
    expect(message.HTML).toContain('<b>HTML</b>');
    expect(message.Attachments.map((a) => a.FileName)).toEqual(['meeting.ics']);
    expect((await mailpit.attachment(message.ID, message.Attachments[0].PartID)).toString()).toContain('BEGIN:VCALENDAR');
    expect((await mailpit.headers(message.ID))['X-Sip-Test']).toEqual(['yes']);

    await mailpit.deleteSearch(`to:"${to}"`);
    expect(await mailpit.byRecipient(to)).toEqual([]);
  });

  test('waitFor fails with the count it found', async () => {
    await expect(mailpit.waitFor(`to:"${uniqueAddress('nobody')}"`, 1, { timeoutMs: 300 })).rejects.toThrow(/0 of 1 messages/);
  });

  describe('chaos, on a private Mailpit', () => {
    let priv: PrivateMailpit;
    beforeAll(async () => {
      priv = await startPrivateMailpit();
    });
    afterAll(async () => {
      await priv?.stop();
    });

    test('injects SMTP failures, then lets mail through again', async () => {
      const privateTransport = nodemailer.createTransport(priv.smtpUrl);
      const to = uniqueAddress('chaos');
      const send = () => privateTransport.sendMail({ from: 'a@smart.coop', to, subject: 'chaos', text: 'x' });
      try {
        await priv.client.setChaos({ Recipient: { ErrorCode: 451, Probability: 100 } });
        await expect(send()).rejects.toMatchObject({ responseCode: 451 });
        await priv.client.disableChaos();
        await send();
        expect(await priv.client.waitFor(`to:"${to}"`, 1)).toHaveLength(1);
      } finally {
        privateTransport.close();
      }
    });
  });
});

test('the dev server has the custom search attributes of config/search-attributes.ts', async () => {
  const dev = await connectDevServer();
  try {
    const response = await dev.connection.operatorService.listSearchAttributes({ namespace: dev.namespace });
    const custom = response.customAttributes ?? {};
    for (const name of Object.keys(searchAttributes)) expect(Object.keys(custom)).toContain(name);
  } finally {
    await dev.close();
  }
});
