/**
 * Static files, loaded once at start: htmx and its WebSocket extension from node_modules (never a
 * CDN), our stylesheet, script and icon from public/. Each is served from memory under a name with
 * its content hash, pre-compressed (brotli and gzip), with a one-year immutable cache.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { AssetUrls } from '../views/layout.tsx';
import { fromRoot } from './paths.ts';

export interface Asset {
  body: Buffer;
  /**
   * Compressed once, on first use (zlib's thread pool): at start the CPU goes to answering the first
   * request, not to brotli at its highest setting.
   */
  gzip: () => Promise<Buffer>;
  brotli: () => Promise<Buffer>;
  type: string;
  etag: string;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export interface Assets {
  urls: AssetUrls;
  /** By file name under /assets/. */
  files: Map<string, Asset>;
}

const SOURCES: Record<keyof AssetUrls, { path: string; name: string; ext: string; type: string }> = {
  htmx: {
    path: 'node_modules/htmx.org/dist/htmx.min.js',
    name: 'htmx-2.0.11',
    ext: 'js',
    type: 'text/javascript; charset=utf-8',
  },
  htmxWs: {
    path: 'node_modules/htmx-ext-ws/dist/ws.min.js',
    name: 'htmx-ext-ws-2.0.4',
    ext: 'js',
    type: 'text/javascript; charset=utf-8',
  },
  app: { path: 'public/app.js', name: 'app', ext: 'js', type: 'text/javascript; charset=utf-8' },
  css: { path: 'public/app.css', name: 'app', ext: 'css', type: 'text/css; charset=utf-8' },
  icon: { path: 'public/icon.svg', name: 'icon', ext: 'svg', type: 'image/svg+xml' },
};

export function loadAssets(): Assets {
  const files = new Map<string, Asset>();
  const urls = {} as AssetUrls;
  for (const [key, source] of Object.entries(SOURCES) as [keyof AssetUrls, (typeof SOURCES)[keyof AssetUrls]][]) {
    const body = readFileSync(fromRoot(source.path));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const fileName = `${source.name}.${hash}.${source.ext}`;
    files.set(fileName, {
      body,
      gzip: once(() => gzipAsync(body, { level: 9 })),
      brotli: once(() => brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })),
      type: source.type,
      etag: `"${hash}"`,
    });
    urls[key] = `/assets/${fileName}`;
  }
  return { urls, files };
}
