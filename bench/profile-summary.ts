/**
 * Summarizes V8 CPU profiles (node --cpu-prof): self time by package/folder and by function.
 *   npx tsx bench/profile-summary.ts <file.cpuprofile|dir> [--top 25]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function area(url: string): string {
  if (!url) return '(native/idle/gc)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (u.startsWith('node:')) return u.split('/')[0];
  const m = /\/work\/main\/(.+)$/.exec(u) ?? /([^/]+\/[^/]+)$/.exec(u);
  return m ? path.dirname(m[1]) : u;
}

export function summarize(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const fn = n.callFrame.functionName || '(anonymous)';
    const a = ['(idle)', '(program)', '(garbage collector)'].includes(fn) ? fn : area(n.callFrame.url);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
    const key = `${fn} ${n.callFrame.url ? `${area(n.callFrame.url)}/${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1e6).toFixed(1).padStart(6)} s`;
  const lines = [`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled`, 'self time by area:'];
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${a}`);
  lines.push('self time by function:');
  for (const [f, us] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${f}`);
  return lines.join('\n');
}

if (require.main === module) {
  const target = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25;
  if (!target) {
    console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile|dir> [--top 25]');
    process.exit(2);
  }
  const files = statSync(target).isDirectory()
    ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(target, f))
    : [target];
  for (const f of files) console.log(summarize(f, top) + '\n');
}
