/** Turning JSX into HTML strings (for pushes, and pages with their doctype). */
import type { Child } from 'hono/jsx';

/** HTML for a synchronous JSX tree. Views here never use async components. */
export function renderHtml(node: Child): string {
  const out = (node as { toString(): unknown }).toString();
  if (typeof out !== 'string' && !(out instanceof String)) throw new Error('async view: not supported here');
  return String(out);
}

/** A whole page: doctype first so browsers stay in standards mode. */
export function renderPage(node: Child): string {
  return `<!DOCTYPE html>${renderHtml(node)}`;
}
