/**
 * Node flags of the worker process, wherever it is started (`npm start`, docker-compose, the
 * Europe benchmark). V8 sizes its heap limit from the machine's memory (about 4 GB on 24 GiB) and
 * collects lazily below it: the worker's RSS grew to 800-980 MB in the 1/10 Europe run although
 * what it holds alive stayed far below. At Smart's whole size the main thread's heap had 83 to
 * 134 MB in use (inspector every two minutes through the whole run, 2026-11-28, session 4), with
 * mailings read office by office; 384 MB leaves it more than twice that. (Session 3 raised this to 768 MB after a
 * crawl of the assembly mailings that it blamed on the collector; the cause was the benchmark's
 * jumps in server time, which timed out the mailings' heartbeats, see docs/README-bench.md.)
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=384'] as const;
