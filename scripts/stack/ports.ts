import net from 'node:net';

/** A port another program holds; the message names it so the user knows what to free. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
    readonly what: string,
  ) {
    super(
      `port ${port} (${what}) on ${host} is already in use: stop the program that listens there ` +
        `(see 'ss -ltnp | grep :${port}') or choose another port`,
    );
    this.name = 'PortInUseError';
  }
}

/** A port that was free a moment ago (the OS picks it); good enough for tests on one machine. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not allocate a free port'));
      });
    });
  });
}

/** Distinct free ports (asked together so that none is handed out twice). */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort(host));
  return [...ports];
}

/** Resolves when nothing listens on host:port; throws PortInUseError otherwise. */
export async function assertPortFree(port: number, host: string, what: string): Promise<void> {
  // Binding is the only reliable test: a connect probe misses listeners on 0.0.0.0 vs 127.0.0.1.
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') reject(new PortInUseError(port, host, what));
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** True when a TCP connection to host:port succeeds. */
export function portAnswers(port: number, host: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitForPortOptions {
  what: string;
  timeoutMs: number;
  /** Called on each poll: a reason when the server process died, so we stop waiting at once. */
  failure?: () => string | undefined;
}

/** Polls until host:port accepts connections; a clear error on timeout or early exit. */
export async function waitForPort(port: number, host: string, options: WaitForPortOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await portAnswers(port, host)) return;
    const failure = options.failure?.();
    if (failure) throw new Error(`${options.what} did not start: ${failure}`);
    if (Date.now() > deadline) {
      throw new Error(`${options.what} did not answer on ${host}:${port} within ${options.timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
