import type { NodeChild } from './lib/child';
import type { BenchContext, BenchResult } from './lib/context';

export async function runFanOut(_ctx: BenchContext, _deps: { bundle: string; track: (c: NodeChild) => NodeChild; withKill: boolean; plain: boolean }): Promise<BenchResult> {
  throw new Error('not yet');
}
