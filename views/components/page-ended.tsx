/**
 * Pushed over a page's socket just before the server closes it for good (its link was replaced, its
 * session ended): the page's main content becomes this notice, focused and announced, and the live
 * status says the page is no longer live.
 */
import type { Child } from 'hono/jsx';
import { ids } from '../ids.ts';
import { LiveStatus } from '../layout.tsx';

export function PageEnded(props: {
  tone: 'error' | 'info';
  headingId: string;
  heading: string;
  action: { href: string; label: string };
  extra?: Child;
  children: Child;
}) {
  return (
    <>
      <main id={ids.main} hx-swap-oob="innerHTML">
        <section class={`panel panel--${props.tone}`} role="alert" aria-labelledby={props.headingId}>
          <h1 id={props.headingId} tabindex={-1} autofocus>
            {props.heading}
          </h1>
          {props.children}
          <p>
            <a class="button" href={props.action.href}>
              {props.action.label}
            </a>
          </p>
        </section>
      </main>
      {props.extra}
      <LiveStatus state="ended" oob />
    </>
  );
}
