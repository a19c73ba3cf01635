/**
 * Baseline for the fan-out and memory benchmarks: a bare `ws` server. It accepts any number of
 * sockets and, on POST /broadcast, writes the request body to every socket as one text frame
 * (encoded once), the way the app's feeds do. GET /count says how many sockets are open.
 *
 * For the rush it also answers the app's claim URL: the first POST for a slot id wins (200) and
 * broadcasts one small frame marking that slot booked, the way the app's push marks it; a second
 * POST for the same id loses (409). No database, no rendering, no checks: the floor under the app.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ noServer: true });
const claimed = new Set<string>();
const server = http.createServer((req, res) => {
  const claim = req.method === 'POST' ? /^\/s\/[^/]+\/slots\/([^/]+)\/claim$/.exec(req.url ?? '') : null;
  if (claim) {
    const slotId = claim[1]!;
    req.resume();
    req.on('end', () => {
      if (claimed.has(slotId)) {
        res.writeHead(409, { 'content-type': 'text/html' }).end('<p>Sorry, that time was just taken</p>');
        return;
      }
      claimed.add(slotId);
      const frame = Buffer.from(
        `<li id="slot-${slotId}" class="slot slot--booked" hx-swap-oob="true"><button disabled>Booked</button></li>`,
      );
      for (const client of wss.clients) client.send(frame, { binary: false });
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Booked</p>');
    });
    return;
  }
  if (req.method === 'POST' && req.url === '/broadcast') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const message = Buffer.concat(chunks);
      for (const client of wss.clients) client.send(message, { binary: false });
      res.writeHead(204).end();
    });
    return;
  }
  if (req.url === '/count') {
    res.end(String(wss.clients.size));
    return;
  }
  res.writeHead(404).end();
});
server.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.on('SIGTERM', () => process.exit(0));
