/*
 * Loaded into an app process by a test (node --import): every HTTP server in it keeps an idle
 * keep-alive connection for ten minutes instead of Node's 5 s. A shutdown that waited for idle
 * connections to time out, rather than closing them, then takes minutes instead of moments: a
 * difference no slow day can blur.
 */
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';

const createServer = http.createServer;
http.createServer = (...args) => {
  const server = createServer(...args);
  server.keepAliveTimeout = 600_000;
  return server;
};
syncBuiltinESMExports();
