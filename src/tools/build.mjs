// Builds the server for `npm start`: esbuild turns src/ (TypeScript and JSX) into ES modules in
// dist/ in a few tens of milliseconds, so the server runs on plain Node with no TypeScript loader
// in the way. Packages stay external: node_modules is loaded as usual. Code splitting keeps the
// server's dynamic imports dynamic, so the database starts opening before the rest has loaded.
// Every chunk sits directly in dist/, one level below the root like src/ (see src/paths.ts).
// Plain JavaScript on purpose: it runs before anything can compile TypeScript.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export async function buildServer() {
  const { build } = await import('esbuild');
  rmSync(`${root}dist`, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { server: 'src/server.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    splitting: true,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
