/** A keep-alive HTTP client for load, and the form POSTs a page would send. */
import http from 'node:http';

export function keepAliveAgent(sockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(
  origin: string,
  path: string,
  options: {
    method?: string;
    form?: Record<string, string>;
    cookie?: string;
    htmx?: boolean;
    agent?: http.Agent;
    readBody?: boolean;
    timeoutMs?: number;
  } = {},
): Promise<Reply> {
  const url = new URL(path, origin);
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? (body ? 'POST' : 'GET'),
        agent: options.agent ?? false,
        headers: {
          ...(body
            ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), origin }
            : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(options.htmx ? { 'hx-request': 'true' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (options.readBody !== false) chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.timeoutMs)
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    if (body) req.write(body);
    req.end();
  });
}

/** Runs `worker` on `concurrency` loops until `until()` says stop; returns how many finished. */
export async function closedLoop(
  concurrency: number,
  until: () => boolean,
  worker: () => Promise<void>,
): Promise<number> {
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!until()) {
        await worker();
        done++;
      }
    }),
  );
  return done;
}

/** POSTs raw bytes (the bare ws baseline's /broadcast). */
export function postBytes(origin: string, path: string, body: Buffer): Promise<number> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        headers: { 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
