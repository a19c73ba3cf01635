/**
 * Baseline for the fan-out and memory benchmarks: a bare `ws` server. It accepts any number of
 * sockets and, on POST /broadcast, writes the request body to every socket as one text frame
 * (encoded once), the way the app's feeds do. GET /count says how many sockets are open.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((req, res) => {
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
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.on('SIGTERM', () => process.exit(0));
