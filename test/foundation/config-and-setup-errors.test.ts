import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config';
import { repoRoot } from '../../scripts/stack';

describe('configuration', () => {
  test('a bad value is refused with a ConfigError that names each variable', () => {
    const bad = { LINK_SECRET: 'too-short', API_PORT: 'not-a-port', MONGODB_URI: 'http://wrong.example' };
    let error: unknown;
    try {
      loadConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.problems.map((p) => p.variable).sort()).toEqual(['API_PORT', 'LINK_SECRET', 'MONGODB_URI']);
    expect(configError.message).toMatch(/LINK_SECRET: at least 32 characters/);
    expect(configError.message).toMatch(/MONGODB_URI: a URL starting with mongodb:\/\//);
  });

  test('a missing LINK_SECRET is named as required', () => {
    expect(() => loadConfig({})).toThrow(/LINK_SECRET: is required/);
  });

  test('defaults fill everything else', () => {
    const config = loadConfig({ LINK_SECRET: 'x'.repeat(32) });
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.MONGODB_URI).toBe('mongodb://127.0.0.1:27027/smart-in-progress');
  });
});

/** A PATH with every command of the current PATH except `hidden` (symlinks in a temp dir). */
function pathWithout(hidden: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sip-path-'));
  for (const source of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!source || !existsSync(source)) continue;
    for (const name of readdirSync(source)) {
      if (hidden.includes(name) || existsSync(path.join(dir, name))) continue;
      symlinkSync(path.join(source, name), path.join(dir, name));
    }
  }
  return dir;
}

function checkSetup(hidden: string[]) {
  const result = spawnSync('bash', [path.join(repoRoot, 'scripts/setup.sh'), '--check'], {
    env: { ...process.env, PATH: pathWithout(hidden) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('setup.sh --check', () => {
  test('passes on this machine (the tools are installed)', () => {
    const { status, output } = checkSetup([]);
    expect(output).toMatch(/setup: prerequisites\s+ok/);
    expect(status).toBe(0);
  });

  test('names Go when it is missing, without a stack trace', () => {
    const { status, output } = checkSetup(['go']);
    expect(status).toBe(3);
    expect(output).toContain("Go >= 1.25 (command 'go' not found");
    expect(output).not.toMatch(/line \d+:|Traceback|at .*\(/);
  });

  test('names Java and Maven when they are missing', () => {
    const { status, output } = checkSetup(['java', 'mvn']);
    expect(status).toBe(3);
    expect(output).toContain("Java 17 (command 'java' not found");
    expect(output).toContain("Maven (command 'mvn' not found");
  });
});
