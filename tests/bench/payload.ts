/**
 * 6. What a first visit downloads besides the page: the JavaScript (htmx, its WebSocket extension,
 * our script) and the stylesheet, compressed as served (brotli, and gzip for older clients).
 * Baseline: htmx alone, the floor for this design.
 */
import { loadAssets } from '../../src/assets.ts';

export interface PayloadResult {
  js: { brotli: number; gzip: number; raw: number };
  css: { brotli: number; gzip: number; raw: number };
  htmxBrotli: number;
}

export async function benchPayload(): Promise<PayloadResult> {
  const { files, urls } = loadAssets();
  const sizes = async (url: string) => {
    const asset = files.get(url.replace('/assets/', ''))!;
    return { brotli: (await asset.brotli()).length, gzip: (await asset.gzip()).length, raw: asset.body.length };
  };
  const parts = await Promise.all([sizes(urls.htmx), sizes(urls.htmxWs), sizes(urls.app)]);
  const sum = (key: 'brotli' | 'gzip' | 'raw') => parts.reduce((total, p) => total + p[key], 0);
  return {
    js: { brotli: sum('brotli'), gzip: sum('gzip'), raw: sum('raw') },
    css: await sizes(urls.css),
    htmxBrotli: parts[0]!.brotli,
  };
}
