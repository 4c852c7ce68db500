import type { NodeChild } from './lib/child';
import type { BenchContext, BenchResult } from './lib/context';

export async function runEurope(_ctx: BenchContext, _deps: { track: (c: NodeChild) => NodeChild }): Promise<BenchResult> {
  throw new Error('not yet');
}
