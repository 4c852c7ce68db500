/** A lean HTTP client for the click benchmark and drills: keep-alive sockets, form POSTs. */
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

export function keepAliveAgent(sockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

export function postForm(baseUrl: string, path: string, form: Record<string, string>, agent?: http.Agent, timeoutMs = 30_000): Promise<HttpAnswer> {
  const url = new URL(baseUrl);
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function getStatus(url: string, timeoutMs = 2_000): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Polls until GET url answers `status` (default 200). */
export async function waitForHttp(url: string, options: { status?: number; timeoutMs?: number; what?: string } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const status = await getStatus(url);
    if (status === (options.status ?? 200)) return;
    if (Date.now() > deadline) throw new Error(`${options.what ?? url} did not answer ${options.status ?? 200} in time (last: ${status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
