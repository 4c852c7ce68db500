import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';

export interface TestDatabase {
  connection: Connection;
  /** The database name, unique to this test file (and call). */
  name: string;
  /** MONGODB_URI with this database in its path, for code that connects by itself. */
  uri: string;
  /** Drops the database and closes the connection. */
  drop(): Promise<void>;
}

/** A database name from the current test file: `t_<file>_<random>` (FerretDB allows [a-z0-9_-], 63 chars). */
export function testDatabaseName(label?: string): string {
  const testPath = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  const base = label ?? (testPath ? path.basename(testPath).replace(/\.test\.ts$/, '') : 'test');
  const slug = base.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40);
  return `t_${slug}_${randomBytes(4).toString('hex')}`;
}

/** MONGODB_URI (the harness's base URI) with `name` as its database. */
export function databaseUri(name: string, base = process.env.MONGODB_URI): string {
  if (!base) throw new Error('MONGODB_URI is not set: run the tests through `npm test` or `npx jest` (global setup)');
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A mongoose Connection to a fresh database of its own. */
export async function connectTestDatabase(label?: string): Promise<TestDatabase> {
  const name = testDatabaseName(label);
  const uri = databaseUri(name);
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 15_000 }).asPromise();
  return {
    connection,
    name,
    uri,
    async drop() {
      try {
        await connection.dropDatabase();
      } finally {
        await connection.close();
      }
    },
  };
}

/**
 * Registers beforeAll/afterAll in the calling test file: one database for the file, dropped at
 * the end. Returns a getter (the connection exists only once beforeAll ran).
 */
export function useTestDatabase(label?: string): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await connectTestDatabase(label);
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error('useTestDatabase(): the database is ready only inside tests and hooks');
    return db;
  };
}
