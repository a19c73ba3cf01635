/** Static files: htmx and its WebSocket extension from node_modules, compressed, cached for a year. */
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { get, post, textOf } from '../helpers/http.ts';
import { cookieNames, ids } from '../../views/ids.ts';

describe('assets and page compression', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    t = createTestApp(database.db);
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('serves the pinned htmx 2.0.11 and htmx-ext-ws 2.0.4 from node_modules, under hashed names', async () => {
    const { urls } = t.assets;
    expect(urls.htmx).toMatch(/^\/assets\/htmx-2\.0\.11\.[0-9a-f]{12}\.js$/);
    expect(urls.htmxWs).toMatch(/^\/assets\/htmx-ext-ws-2\.0\.4\.[0-9a-f]{12}\.js$/);
    const response = await get(t.app, urls.htmx, { headers: { 'accept-encoding': 'identity' } });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toBe(readFileSync('node_modules/htmx.org/dist/htmx.min.js', 'utf8'));
    expect(body).toContain('version:"2.0.11"');
    expect(JSON.parse(readFileSync('node_modules/htmx-ext-ws/package.json', 'utf8')).version).toBe('2.0.4');
  });

  it('sends brotli or gzip as the browser accepts, with a year of immutable caching', async () => {
    const { urls } = t.assets;
    const original = readFileSync('node_modules/htmx.org/dist/htmx.min.js');
    const br = await get(t.app, urls.htmx, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer()))).toEqual(original);
    const gz = await get(t.app, urls.htmx, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer()))).toEqual(original);
    const again = await get(t.app, urls.htmx, { headers: { 'if-none-match': br.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await get(t.app, '/assets/htmx-1.0.0.000000000000.js')).status).toBe(404);
  });

  it('hands the browser script its ids and cookie names through the page, and the script keeps no copies', async () => {
    const page = await (await get(t.app, '/')).text();
    const body = /<body([^>]*)>/.exec(page)![1]!;
    expect(body).toContain(`data-zone-cookie="${cookieNames.zone}"`);
    expect(body).toContain(`data-zone-pinned-cookie="${cookieNames.zonePinned}"`);
    expect(body).toContain(`data-live-status-id="${ids.liveStatus}"`);
    expect(body).toContain(`data-announcer-id="${ids.announcer}"`);
    const script = readFileSync('public/app.js', 'utf8');
    expect(script).not.toMatch(/getElementById\(\s*['"]/); // every id comes from the page or an attribute
    for (const name of Object.values(cookieNames)) expect(script).not.toContain(`'${name}`);
  });

  it('compresses pages too', async () => {
    const response = await get(t.app, '/', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
  });

  it('keeps the hand-written script small and free of eval', () => {
    const script = readFileSync('public/app.js', 'utf8');
    // Small enough to read in one sitting; the compressed total budget is checked by the bench.
    expect(Buffer.byteLength(script)).toBeLessThan(24 * 1024);
    expect(script).not.toMatch(/\beval\(|new Function/);
  });

  it('refuses an oversized form with 413 and a readable page', async () => {
    const response = await post(t.app, '/schedules', { title: 'x'.repeat(100_000), timeZone: 'UTC' });
    expect(response.status).toBe(413);
    expect(textOf(await response.text())).toContain('That was too much to send');
  });
});
