/**
 * Node flags of the worker process, wherever it is started (`npm start`, docker-compose, the
 * Europe benchmark). V8 sizes its heap limit from the machine's memory (about 4 GB on 24 GiB) and
 * collects lazily below it, so a worker's RSS grew to 800–980 MB in the 1/10 Europe run although
 * what it holds alive stays far below; with a limit V8 collects sooner (1/10 run: 470 MB peak with
 * 256 MB). 384 MB leaves room for the largest mailing of Smart's size (the public-review
 * invitation of 100,000 members, read page by page).
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=384'] as const;
