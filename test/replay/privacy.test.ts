/**
 * No member's name or e-mail address in any recorded history: inputs, results, update and signal
 * arguments, search attributes, memos, failures. Payloads are decoded (base64 JSON) before the
 * scan, and the scan is checked to see ids, so a silent decoding bug cannot make it pass.
 */
import { buildEdition2019_2020 } from '../fixtures/edition-2019-2020';
import { loadHistories } from '../workflows/helpers/histories';

const histories = loadHistories();

/** Every string of the history, with each payload's `data` decoded from base64. */
function texts(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) texts(v, out);
  } else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.data === 'string' && obj.metadata && typeof obj.metadata === 'object') {
      out.push(Buffer.from(obj.data, 'base64').toString('utf8'));
      for (const m of Object.values(obj.metadata as Record<string, string>)) out.push(Buffer.from(m, 'base64').toString('utf8'));
    }
    for (const [k, v] of Object.entries(obj)) {
      out.push(k);
      texts(v, out);
    }
  }
  return out;
}

test('when every recorded history is scanned, then no member name or e-mail address appears', () => {
  expect(histories.length).toBeGreaterThanOrEqual(20);
  const findings: string[] = [];
  let idsSeen = 0;
  let payloadsSeen = 0;
  for (const record of histories) {
    const edition = buildEdition2019_2020(record.edition);
    const corpus = texts(record.history).join('\n');
    const lower = corpus.toLowerCase();
    payloadsSeen += (JSON.stringify(record.history).match(/"encoding"/g) ?? []).length;
    for (const m of edition.members) {
      if (lower.includes(m.name.toLowerCase())) findings.push(`${record.file}: name of ${m.id}`);
      if (lower.includes(m.email.toLowerCase())) findings.push(`${record.file}: address of ${m.id}`);
      if (corpus.includes(m.id)) idsSeen += 1;
    }
    // No address at all under the test's domain (members, staff or board mailboxes).
    if (record.edition.emailDomain && lower.includes(`@${record.edition.emailDomain.toLowerCase()}`)) findings.push(`${record.file}: an address @${record.edition.emailDomain}`);
    if (/[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z0-9.-]+/i.test(corpus.replace(/@temporalio\/[a-z-]+/g, ''))) {
      findings.push(`${record.file}: something shaped like an e-mail address: ${/[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z0-9.-]+/i.exec(corpus)![0]}`);
    }
  }
  expect(findings).toEqual([]);
  // The scan reads decoded payloads: member ids (they are allowed) do show up.
  expect(payloadsSeen).toBeGreaterThan(100);
  expect(idsSeen).toBeGreaterThan(20);
});

test('when a name hides in a payload, then the scan finds it', () => {
  const member = buildEdition2019_2020().members[0];
  const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify({ who: member.name })).toString('base64') };
  const history = { events: [{ workflowExecutionStartedEventAttributes: { input: { payloads: [payload] } } }] };
  expect(texts(history).join('\n')).toContain(member.name);
  expect(JSON.stringify(history)).not.toContain(member.name);
});
