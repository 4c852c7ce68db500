import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository root, whether this file runs from scripts/stack or compiled into dist/. */
export const repoRoot = findRepoRoot(__dirname);

/** Where scripts/setup.sh installs the pinned tools. */
export const toolsBin = path.join(repoRoot, '.tools', 'bin');

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'scripts', 'setup.sh'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${start}`);
    dir = parent;
  }
  return dir;
}

/** Absolute path of a tool built by setup.sh; a clear message instead of an ENOENT later. */
export function toolPath(name: 'temporal' | 'temporal-test-server' | 'ferretdb' | 'mailpit'): string {
  const file = path.join(toolsBin, name);
  if (!existsSync(file)) {
    throw new Error(`${name} is not installed in ${toolsBin}: run 'npm run setup' (bash scripts/setup.sh) first`);
  }
  return file;
}

const MIN_PG_MAJOR = 15;

/**
 * The bin directory of the newest PostgreSQL >= 15 server: PG_BIN_DIR if set, else Debian's
 * /usr/lib/postgresql/<major>/bin. Same rule as find_pg_bindir in scripts/setup.sh.
 */
export function findPgBinDir(): string {
  const override = process.env.PG_BIN_DIR;
  if (override) {
    if (!existsSync(path.join(override, 'initdb'))) throw new Error(`PG_BIN_DIR=${override} has no initdb`);
    return override;
  }
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((name) => /^\d+$/.test(name) && Number(name) >= MIN_PG_MAJOR)
        .filter((name) => existsSync(path.join(base, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length > 0) return path.join(base, majors[0], 'bin');
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    `PostgreSQL >= ${MIN_PG_MAJOR} server binaries (initdb, pg_ctl) not found: run 'npm run setup' ` +
      `(as root it installs the Debian 'postgresql' package) or set PG_BIN_DIR`,
  );
}
