/**
 * The one way whole pages are rendered, installed once in app.ts: `c.render(<Page />)` writes the
 * doctype (browsers stay in standards mode) and provides the asset URLs the layout reads.
 */
import type { Child } from 'hono/jsx';
import { jsxRenderer } from 'hono/jsx-renderer';
import { type AssetUrls, AssetUrlsContext } from '../../views/layout.tsx';

// `c.render` takes a JSX tree (Hono's default type says string). Augmenting Hono's type needs an
// interface to merge into, so the call signature stays one.
declare module 'hono' {
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: declaration merging needs an interface
    (page: Child): Response | Promise<Response>;
  }
}

export function renderPages(urls: AssetUrls) {
  // Made once per app: each request only gets Hono's small renderer closure around it.
  const provideAssets = ({ children }: { children?: Child }) => (
    <AssetUrlsContext.Provider value={urls}>{children}</AssetUrlsContext.Provider>
  );
  return jsxRenderer(provideAssets, { docType: true });
}
