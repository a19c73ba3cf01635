// `npm start`: rebuilds dist/ when a source file is newer than the last build (esbuild, tens of
// milliseconds), then runs the server in this same process. An up-to-date build costs a few stat
// calls, which keeps the time to the first answer short.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer, root } from './build.mjs';

function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const built = statSync(join(root, 'dist', 'server.mjs'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = Math.max(
  newestChange(join(root, 'src')),
  newestChange(join(root, 'views')),
  statSync(join(root, 'package-lock.json')).mtimeMs,
);
if (sources > built) await buildServer();
await import(join(root, 'dist', 'server.mjs'));
