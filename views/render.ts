/** Turning JSX into HTML strings, for fragments and pushes (whole pages go through `c.render`). */
import type { Child } from 'hono/jsx';

/** HTML for a synchronous JSX tree. Views here never use async components. */
export function renderHtml(node: Child): string {
  const out = (node as { toString(): unknown }).toString();
  if (typeof out !== 'string' && !(out instanceof String)) throw new Error('async view: not supported here');
  return String(out);
}
