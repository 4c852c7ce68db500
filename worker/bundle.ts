/**
 * The workflow code, bundled ahead of the worker. Bundling (webpack) peaks at several hundred MB
 * and V8 keeps most of it: done inside a long-running worker, it stays in that worker's RSS for
 * its whole life. Done here, in a short-lived process, the worker only loads the result
 * (WORKFLOW_BUNDLE_PATH) and starts in about a second.
 *
 * A bundle is named by a hash of what goes into it (workflows/, domain/ and the SDK's version),
 * so a stale one is never picked up: changed code gets a new file.
 *
 *   node --import tsx worker/bundle.ts <dir>          prints the bundle's path (built if missing)
 *   node --import tsx worker/bundle.ts --out <file>   writes exactly there (the Docker image)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

const root = path.resolve(__dirname, '..');
export const workflowsPath = path.join(root, 'workflows', 'index.ts');

/** A hash of the sources the bundle is made of. */
export function workflowSourceKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.ts')) hash.update(path.relative(root, file)).update(readFileSync(file));
    }
  };
  walk(path.join(root, 'workflows'));
  walk(path.join(root, 'domain'));
  hash.update(readFileSync(require.resolve('@temporalio/workflow/package.json')));
  return hash.digest('hex').slice(0, 16);
}

async function writeBundle(file: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  mkdirSync(path.dirname(file), { recursive: true });
  // Written aside and renamed: a reader never sees half a bundle.
  const tmp = mkdtempSync(path.join(path.dirname(file), '.bundle-'));
  writeFileSync(path.join(tmp, 'workflows.js'), code);
  renameSync(path.join(tmp, 'workflows.js'), file);
  rmSync(tmp, { recursive: true, force: true });
}

/** The bundle for the current sources in `dir`, built when missing. */
export async function workflowBundle(dir: string): Promise<string> {
  const file = path.join(dir, `workflows-${workflowSourceKey()}.js`);
  if (!existsSync(file)) await writeBundle(file);
  return file;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const out = args[0] === '--out' ? args[1] : undefined;
  const dir = out ? undefined : args[0];
  if (!out && !dir) {
    console.error('usage: worker/bundle.ts <dir> | --out <file>');
    process.exit(2);
  }
  (out ? writeBundle(path.resolve(out)).then(() => path.resolve(out)) : workflowBundle(path.resolve(dir!))).then(
    (file) => console.log(file),
    (err: Error) => {
      console.error(`could not bundle the workflows: ${err.message}`);
      process.exit(1);
    },
  );
}
