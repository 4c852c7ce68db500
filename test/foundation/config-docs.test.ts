import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { configVariables } from '../../config';
import { repoRoot } from '../../scripts/stack';
import { configTable, meanings } from '../../scripts/config-table';

test('every configuration variable has a meaning for the README table', () => {
  expect(configVariables.filter((v) => !meanings[v])).toEqual([]);
});

test('the README holds the configuration table generated from config/index.ts', () => {
  // The section lives in docs/README-foundation.md until it is merged into README.md.
  const texts = ['README.md', 'docs/README-foundation.md']
    .map((file) => path.join(repoRoot, file))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8'));
  // Regenerate with: npx tsx scripts/config-table.ts
  expect(texts.some((text) => text.includes(configTable()))).toBe(true);
});
