/**
 * The click path's cost with 100,000 live links in FerretDB (not a timed test: it prints figures).
 *
 *   npx tsx bench/link-lookup.ts                 a private PostgreSQL + FerretDB, removed at the end
 *   MONGODB_URI=mongodb://... npx tsx bench/link-lookup.ts    an existing server (a fresh database)
 *   LINKS=20000 ...                              another size
 *
 * What it measures, per click: opening the sealed token (crypto only), the GET's reads (the
 * revocation counter, revocations held in memory, and one journal lookup), the POST's use (two inserts),
 * a double click, a replay after the window; and, for comparison, the lookup a stored-token design
 * would need (findOne / updateOne by `_id` on the big collection), plus the reconciler's and the
 * sweep's queries. Results also go to bench/results/link-lookup.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { createModels, syncIndexes, type Models } from '../domain/models';
import { linkKeys, storedHash } from '../activities/links/keys';
import { consumeLink, findRecent, settleUse } from '../activities/links/store';
import { isRevoked } from '../activities/links/revocations';
import { monthOf, openLink, randomLinkId, sealLink, useIdFor, type LinkClaims } from '../activities/links/token';
import { freePorts, removeStackData, startStack, stopStack, type StackHandle } from '../scripts/stack';
import { closedLoop, summarize, type LatencySummary } from './lib/stats';

const LINKS = Number(process.env.LINKS ?? 100_000);
const RECENT = 2_000; // the journal during a busy quarter of an hour
const REVOCATIONS = 300;
const SAMPLES = 200;
const secret = randomBytes(32).toString('hex');

function claims(over: Partial<LinkClaims> = {}): LinkClaims {
  return {
    linkId: randomLinkId(),
    actions: ['confirm_membership'],
    workflowId: 'cycle:c2026:group:g-brussels-gender',
    subjectId: 'g-brussels-gender',
    memberId: `m_${randomBytes(8).toString('hex')}`,
    version: '1',
    expiresAt: Date.now() + 30 * 86_400_000,
    issuedAt: Date.now() - 86_400_000,
    language: 'fr',
    name: 'Camille Dupont',
    ...over,
  };
}

async function time(samples: number, fn: (i: number) => Promise<unknown>, concurrency = 1): Promise<LatencySummary & { perSecond: number }> {
  const run = await closedLoop(samples, concurrency, async (i) => {
    await fn(i);
  });
  if (run.errors) throw new Error(`${run.errors} errors: ${run.firstError}`);
  return { ...summarize(run.latencies), perSecond: Math.round((samples / run.elapsedMs) * 1000) };
}

async function seed(models: Models): Promise<void> {
  const expiresMonth = monthOf(Date.now() + 30 * 86_400_000);
  const keys = linkKeys(secret);
  const t0 = Date.now();
  for (let done = 0; done < LINKS; done += 5_000) {
    const docs = Array.from({ length: Math.min(5_000, LINKS - done) }, () => ({
      _id: useIdFor(keys, randomLinkId(), ''), usedAt: new Date(), expiresMonth,
    }));
    await models.LinkUse.insertMany(docs, { ordered: false });
  }
  const seeded = Date.now() - t0;
  await models.LinkRecent.insertMany(
    Array.from({ length: RECENT }, (_, i) => ({
      _id: useIdFor(keys, randomLinkId(), ''), state: i % 50 === 0 ? 'consumed' : 'delivered', action: 'confirm_membership',
      expiresMonth, consumedAt: new Date(), settledAt: new Date(), attempts: 0, nextAttemptAt: new Date(Date.now() + 3_600_000),
    })),
  );
  await models.LinkRevocation.insertMany(
    Array.from({ length: REVOCATIONS }, () => ({
      _id: storedHash(keys, 'revoke-link', randomLinkId()), kind: 'link', revokedAt: new Date(), reason: 'bench', revokedBy: 'bench',
    })),
  );
  console.log(`seeded ${LINKS.toLocaleString('en')} link_uses in ${(seeded / 1000).toFixed(1)} s, ${RECENT} link_recent, ${REVOCATIONS} link_revocations`);
}

async function main(): Promise<void> {
  let stack: StackHandle | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sip-bench-links-'));
    const [postgres, ferretdb, temporal, temporalUi, mailpitSmtp, mailpitHttp] = await freePorts(6);
    stack = await startStack({
      dataDir, ports: { postgres, ferretdb, temporal, temporalUi, mailpitSmtp, mailpitHttp }, run: { mail: false, temporal: false }, fastPostgres: true,
    });
    uri = stack.servers.ferretdb!.mongoUrl;
  }
  const url = new URL(uri);
  url.pathname = `/bench_links_${randomBytes(3).toString('hex')}`;
  const connection = await mongoose.createConnection(url.toString()).asPromise();
  const models = createModels(connection);
  try {
    await syncIndexes(models);
    await seed(models);
    const keys = linkKeys(secret);
    const tokens = Array.from({ length: SAMPLES * 3 }, () => sealLink(secret, claims()));
    const results: Record<string, LatencySummary & { perSecond: number }> = {};
    const existing = (await models.LinkUse.find({}, { _id: 1 }).limit(SAMPLES).lean()).map((d) => d._id);

    results['open sealed token (crypto only)'] = await time(SAMPLES * 10, async (i) => {
      if (!openLink(secret, tokens[i % tokens.length]).ok) throw new Error('token does not open');
    });
    results['GET: open + revocation counter + journal lookup'] = await time(SAMPLES, async (i) => {
      const opened = openLink(secret, tokens[i]);
      if (!opened.ok) throw new Error('token');
      await isRevoked(models, secret, opened.claims);
      await findRecent(models, useIdFor(keys, opened.claims.linkId, ''));
    });
    results['POST: use (insert journal + insert lock) + settle'] = await time(SAMPLES, async (i) => {
      const opened = openLink(secret, tokens[SAMPLES + i]);
      if (!opened.ok) throw new Error('token');
      const used = await consumeLink(models, secret, { claims: opened.claims, scope: '', action: 'confirm_membership', updateArg: {}, now: new Date() });
      if (used.kind !== 'first') throw new Error('not first');
      await settleUse(models, used.useId, 'delivered', new Date());
    });
    results['POST again within the window (double click)'] = await time(SAMPLES, async (i) => {
      const opened = openLink(secret, tokens[SAMPLES + i]);
      if (!opened.ok) throw new Error('token');
      const used = await consumeLink(models, secret, { claims: opened.claims, scope: '', action: 'confirm_membership', updateArg: {}, now: new Date() });
      if (used.kind !== 'repeat' || !used.recent) throw new Error('not a repeat');
    });
    await models.LinkRecent.deleteMany({ state: 'delivered' });
    results['POST replay after the window (lock says used)'] = await time(SAMPLES, async (i) => {
      const opened = openLink(secret, tokens[SAMPLES + i]);
      if (!opened.ok) throw new Error('token');
      const used = await consumeLink(models, secret, { claims: opened.claims, scope: '', action: 'confirm_membership', updateArg: {}, now: new Date() });
      if (used.kind !== 'repeat' || used.recent) throw new Error('not an old use');
    });
    results['POST: 16 members clicking at once (use + settle)'] = await time(SAMPLES, async (i) => {
      const opened = openLink(secret, tokens[2 * SAMPLES + i]);
      if (!opened.ok) throw new Error('token');
      const used = await consumeLink(models, secret, { claims: opened.claims, scope: '', action: 'confirm_membership', updateArg: {}, now: new Date() });
      if (used.kind !== 'first') throw new Error('not first');
      await settleUse(models, used.useId, 'delivered', new Date());
    }, 16);
    results[`for comparison: findOne by _id in link_uses (${LINKS.toLocaleString('en')})`] = await time(20, async (i) => {
      await models.LinkUse.findOne({ _id: existing[i] }).lean();
    });
    results[`for comparison: updateOne by _id in link_uses (${LINKS.toLocaleString('en')})`] = await time(20, async (i) => {
      await models.LinkUse.updateOne({ _id: existing[i] }, { $set: { usedAt: new Date() } });
    });
    results['reconciler: consumed entries of the journal'] = await time(20, async () => {
      await models.LinkRecent.find({ state: 'consumed' }).lean();
    });
    results['sweep: expired locks of one month (equality)'] = await time(5, async () => {
      await models.LinkUse.deleteMany({ expiresMonth: '2001-01' });
    });

    const rows = Object.entries(results).map(([what, r]) => ({ what, p50: r.p50, p90: r.p90, p99: r.p99, max: r.max, 'per s': r.perSecond }));
    console.log(`\nclick path with ${LINKS.toLocaleString('en')} live links (FerretDB ${uri.startsWith('mongodb://127.0.0.1') ? 'local' : 'remote'}), milliseconds:`);
    console.table(rows);
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(path.join(__dirname, 'results', 'link-lookup.json'), JSON.stringify({ at: new Date().toISOString(), links: LINKS, results }, null, 2));
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    if (stack) {
      await stopStack(stack);
      removeStackData(stack);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
