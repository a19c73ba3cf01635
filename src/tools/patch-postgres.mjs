// `postinstall`: mends three bugs in postgres.js 3.4.9 (the latest release) that turn a database
// restart into wrong answers and stalls. A connection object lives on across reconnects, and some
// of its per-query state was reset only when things went well:
// 1. The row counter and the last error were reset only when a query completed. After a backend
//    was ended part-way through sending rows (a restart, pg_terminate_backend), the next query on
//    that connection failed with the old error and the one after it resolved as a sparse array
//    with holes in front (porsager/postgres#1119, #1181): `const [row] = await …` read
//    `undefined`, so an existing schedule answered 404 after a restart.
// 2. Small writes wait for a setImmediate; closing the socket cancelled that timer but left it
//    marked as pending, with the unsent bytes kept. Every later write on that connection,
//    including the start-up message of each reconnect, then waited for a timer that never fires:
//    the connection hung until connect_timeout, again and again (and PostgreSQL's own shutdown
//    waited for it). Seen in the restart fault script; reported as LanternOps/breeze#3225.
// 3. A write that runs after its socket closed threw from a timer, ending the process
//    (porsager/postgres#1168, #1208): it now fails the waiting queries with CONNECTION_CLOSED.
// Idempotent; exits 1 (failing the install) if postgres.js changed so a fix no longer applies, so
// a version bump cannot silently drop them. tests/faults/postgres-driver.test.ts proves them.
// Plain JavaScript on purpose: it runs right after `npm install`, before anything else.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MARK = '/* inter-personal-time: see src/tools/patch-postgres.mjs */';

const edits = [
  {
    // ReadyForQuery ends every query (each carries its own Sync), failed or not.
    find: '    query = results = errorResponse = null\n    result = new Result()\n',
    replace: `    query = results = errorResponse = null\n    result = new Result()\n    rows = 0 ${MARK}\n`,
  },
  {
    // A closed socket takes its unsent bytes and pending write with it.
    find: "    incomings = null\n    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)\n",
    replace: `    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null ${MARK}\n    socket.removeListener('data', data)\n`,
  },
  {
    // …and ends the query in flight: the reconnected connection starts clean.
    find: "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
    replace:
      "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n" +
      `    query = results = errorResponse = null, result = new Result(), rows = 0 ${MARK}\n`,
  },
  {
    // A write after the socket closed settles its queries instead of throwing from a timer.
    find: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n',
    replace:
      `  function nextWrite(fn) {\n    if (!socket) { ${MARK}\n` +
      '      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n' +
      '      chunk = nextWriteTimer = null\n' +
      "      error(Errors.connection('CONNECTION_CLOSED', options))\n" +
      '      return false\n' +
      '    }\n' +
      '    const x = socket.write(chunk, fn)\n',
  },
];

let patched = 0;
for (const build of ['src', 'cjs/src', 'cf/src']) {
  const file = `${root}node_modules/postgres/${build}/connection.js`;
  if (!existsSync(file)) continue;
  const original = readFileSync(file, 'utf8');
  let text = original;
  for (const { find, replace } of edits) {
    if (text.includes(replace)) continue; // applied by an earlier install
    if (text.split(find).length !== 2) {
      console.error(`patch-postgres: ${file} is not the postgres.js 3.4.9 these fixes were written for; see src/tools/patch-postgres.mjs`);
      process.exit(1);
    }
    text = text.replace(find, replace);
  }
  if (text === original) continue;
  writeFileSync(file, text);
  patched++;
}
if (patched > 0) console.log(`patch-postgres: mended per-connection state after errors and closed sockets (${patched} builds of postgres.js)`);
