/** GET /assets/<name>.<hash>.<ext>: pre-compressed, cached for a year (the name changes with the content). */
import type { Assets } from '../assets.ts';
import { appFactory } from './factory.ts';

export function assetRoutes(assets: Assets) {
  const app = appFactory.createApp();
  app.get('/:file', async (c) => {
    const asset = assets.files.get(c.req.param('file'));
    if (!asset) return c.notFound();
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Content-Type', asset.type);
    c.header('ETag', asset.etag);
    c.header('Vary', 'Accept-Encoding');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    const accepted = c.req.header('accept-encoding') ?? '';
    const [encoding, body] = /\bbr\b/.test(accepted)
      ? ['br', await asset.brotli()]
      : /\bgzip\b/.test(accepted)
        ? ['gzip', await asset.gzip()]
        : [null, asset.body];
    if (encoding) c.header('Content-Encoding', encoding);
    c.header('Content-Length', String(body.byteLength));
    return c.body(new Uint8Array(body));
  });
  return app;
}
