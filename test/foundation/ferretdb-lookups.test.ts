/**
 * The embedded PostgreSQL serves FerretDB's equality filters from an index
 * (scripts/stack/postgres-lookups.ts): every index FerretDB creates gets a GIN twin, and
 * statements are planned with their parameters, so `_jsonb->$1 @> $2` (FerretDB's form of every
 * equality) becomes an index scan instead of a scan of the whole collection. Checked on the test
 * stack's own cluster, through FerretDB, with answers unchanged.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Schema } from 'mongoose';
import { findPgBinDir, readHandle } from '../../scripts/stack';
import { connectTestDatabase, type TestDatabase } from '../support/mongo';

const run = promisify(execFile);
let db: TestDatabase;

async function psql(sql: string): Promise<string> {
  const url = readHandle(process.env.SIP_STACK_HANDLE!).servers.postgres!.url;
  const { stdout } = await run(path.join(findPgBinDir(), 'psql'), [url, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  return stdout.trim();
}

beforeAll(async () => {
  db = await connectTestDatabase('lookups');
});
afterAll(async () => db?.drop());

test('when FerretDB creates a collection and its indexes, then equality filters are answered from a GIN index with the same results', async () => {
  const Item = db.connection.model(
    'Item',
    new Schema({ _id: String, groupId: { type: String, index: true }, cycleId: String, status: String }, { versionKey: false })
      .index({ cycleId: 1, status: 1 }),
  );
  await Item.syncIndexes();
  const docs = Array.from({ length: 3_000 }, (_, i) => ({ _id: `g${i % 30}:m${i}`, groupId: `g${i % 30}`, cycleId: `c${i % 3}`, status: i % 2 ? 'open' : 'closed' }));
  for (let i = 0; i < docs.length; i += 1_000) await Item.insertMany(docs.slice(i, i + 1_000));

  expect(await psql('SHOW plan_cache_mode')).toBe('force_custom_plan');
  const table = await psql(`SELECT tablename FROM pg_tables WHERE schemaname = '${db.name}' AND tablename LIKE 'items%'`);
  expect(table).toMatch(/^items_/);
  const gin = (await psql(`SELECT indexdef FROM pg_indexes WHERE schemaname = '${db.name}' AND tablename = '${table}' AND indexdef LIKE '%USING gin%'`))
    .split('\n').map((d) => /_jsonb -> '(\w+)'/.exec(d)?.[1]).sort();
  expect(gin).toEqual(['_id', 'cycleId', 'groupId', 'status']);

  // FerretDB's statement, prepared and run more often than PostgreSQL's switch to a generic plan.
  const explain = await psql(`
    PREPARE ferret(text, jsonb) AS SELECT _jsonb FROM "${db.name}"."${table}" WHERE _jsonb->$1 @> $2;
    EXECUTE ferret('_id', '"g1:m1"'); EXECUTE ferret('_id', '"g1:m31"'); EXECUTE ferret('_id', '"g1:m61"');
    EXECUTE ferret('_id', '"g1:m91"'); EXECUTE ferret('_id', '"g1:m121"'); EXECUTE ferret('_id', '"g1:m151"');
    EXPLAIN EXECUTE ferret('_id', '"g2:m2"');`);
  expect(explain).toMatch(/Bitmap Index Scan on \S+_gin/);
  expect(explain).not.toMatch(/Seq Scan/);

  // The answers are FerretDB's as before.
  expect(await Item.findOne({ _id: 'g7:m7' }).lean()).toEqual(docs[7]);
  expect(await Item.countDocuments({ groupId: 'g7' })).toBe(100);
  expect(await Item.countDocuments({ cycleId: 'c1', status: 'open' })).toBe(docs.filter((d) => d.cycleId === 'c1' && d.status === 'open').length);
  expect((await Item.updateOne({ _id: 'g7:m37', status: 'open' }, { $set: { status: 'done' } })).modifiedCount).toBe(1);
  expect(await Item.countDocuments({ status: 'done' })).toBe(1);
});
