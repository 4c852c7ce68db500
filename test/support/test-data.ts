import path from 'node:path';
import { repoRoot } from '../../scripts/stack/paths';

/** Every test run's servers, data and logs live in .test-data/<run>/ (git-ignored). */
export const testDataBase = path.join(repoRoot, '.test-data');
