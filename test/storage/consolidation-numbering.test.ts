/**
 * Numbers of the consolidated document are never handed out twice, even when the counter lost an
 * increment (FerretDB 1.x rewrites a whole document per update, so two concurrent `$inc` can
 * both read the same value) or did not exist when numbers were set: the writer that collides
 * takes new numbers and never reports another operation's recommendation as its own. A retried
 * operation still returns what it created the first time.
 */
import { createModels, syncIndexes, type Models } from '../../domain/models';
import { createConsolidated } from '../../activities/storage/consolidation';
import { connectTestDatabase, type TestDatabase } from '../support/mongo';

let db: TestDatabase;
let models: Models;
const cycleId = 'numbering-1';

beforeAll(async () => {
  db = await connectTestDatabase('numbering');
  models = createModels(db.connection);
  await syncIndexes(models);
  await models.Cycle.collection.insertOne({
    _id: cycleId as never, label: 'numbering', status: 'running', countries: [{ country: 'BE' }], projection: { phase: 'consolidation', seq: 3 },
  });
  await models.Recommendation.insertMany(
    [1, 2, 3, 4].map((n) => ({
      _id: `g${n}:v1:1`, cycleId, groupId: `g${n}`, submissionVersion: 1, position: 1, title: `Original ${n}`, text: `Text ${n}.`,
      context: `Context ${n}.`, superseded: false, submittedAt: new Date(),
    })),
  );
});
afterAll(async () => db?.drop());

const create = (opId: string, n: number) =>
  createConsolidated(models, {
    cycleId, actorId: 'key-staff', opId, fromRecommendationIds: [`g${n}:v1:1`],
    wording: { title: `Consolidated ${n}`, text: `Text ${n}.`, countries: ['BE'] },
  });

test('when the counter lost an increment or is missing, then the next operation takes free numbers and leaves the others\' recommendations alone', async () => {
  expect((await create('op-1', 1)).number).toBe(1);
  expect((await create('op-2', 2)).number).toBe(2);

  // A lost `$inc`: the counter says 1 although number 2 is taken.
  await models.Counter.updateOne({ _id: `consolidation:${cycleId}` }, { $set: { value: 1 } });
  const third = await create('op-3', 3);
  expect(third.number).toBe(3);
  expect(third.title).toBe('Consolidated 3');
  // The retried operation gets its own document back, not a new number.
  expect((await create('op-3', 3))._id).toBe(third._id);

  // Numbers set before the counter existed (an import): the counter is gone.
  await models.Counter.deleteOne({ _id: `consolidation:${cycleId}` });
  expect((await create('op-4', 4)).number).toBe(4);

  const docs = (await models.Consolidated.find({ cycleId }).lean()).sort((a, b) => a.number - b.number);
  expect(docs.map((d) => [d.number, d.createdByOp, d.title])).toEqual([
    [1, 'op-1', 'Consolidated 1'], [2, 'op-2', 'Consolidated 2'], [3, 'op-3', 'Consolidated 3'], [4, 'op-4', 'Consolidated 4'],
  ]);
});
