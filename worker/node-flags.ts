/**
 * Node flags of the worker process, wherever it is started (`npm start`, docker-compose, the
 * Europe benchmark). V8 sizes its heap limit from the machine's memory (about 4 GB on 24 GiB) and
 * collects lazily below it: the worker's RSS grew to 800-980 MB in the 1/10 Europe run although
 * what it holds alive stayed far below. The workflow thread gets the same limits (V8 flags are
 * the process's). At Smart's whole size the main thread's heap had 83 to 134 MB in use between
 * collections and 77 MB live after a full one, the workflow thread's 40 MB live (inspector,
 * 2026-11-28, sessions 4 and 5). With the malloc settings below, 8 MB
 * semi-spaces and a 256 MB old space took the whole-size peak from 592 to 466 MB, the worker's CPU
 * per Mailpit CPU unchanged (docs/README-bench.md, session 5).
 */
export const WORKER_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=8'] as const;

/**
 * Environment of the worker process, set by whoever starts it (glibc reads it before any code
 * runs; a value already in the environment wins). glibc gives threads that allocate at once
 * arenas of their own, up to 8 per core, and keeps what they free: at Smart's whole size three
 * arenas of the worker's threads held 65, 63 and 41 MB besides the main one's 30 to 94 MB
 * (/proc/<pid>/smaps, 2026-11-28). Two arenas are shared by all threads. A fixed mmap threshold
 * keeps glibc from raising it after the first large buffer freed (up to 32 MB): buffers above
 * 128 kB (driver replies, histories) are mapped and given back when freed instead of staying in
 * the heap. At 1/10 of the whole size the peak RSS went from 391 to 294 MB with these and the
 * flags above, the worker's CPU per mail unchanged (docs/README-bench.md, session 5).
 */
export const WORKER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
