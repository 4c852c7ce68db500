/**
 * Node flags of the worker process, wherever it is started (`npm start`, docker-compose, the
 * Europe benchmark). V8 sizes its heap limit from the machine's memory (about 4 GB on 24 GiB) and
 * collects lazily below it: the worker's RSS grew to 800-980 MB in the 1/10 Europe run although
 * what it holds alive stayed far below (470 MB peak with a 256 MB limit). But at Smart's whole
 * size the live heap reaches about 360 MB while the nine countries' assembly mailings run at
 * once (measured through the inspector, 2026-11-28): with 384 MB the collector took 28 % of the
 * worker's CPU and the mailing crawled at 2 mails/s. 768 MB bounds the heap on a large host and
 * leaves the whole size room.
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=768'] as const;
