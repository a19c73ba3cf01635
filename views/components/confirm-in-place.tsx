/**
 * An action confirmed in place: its summary opens the question with "Yes, …" / "Keep …" under it (a
 * <details>, so it works without JavaScript; public/app.js lets "Keep …" close it). `htmx`: where an
 * htmx answer goes and how it is swapped; without it the form posts as a plain page.
 */
import type { Child } from 'hono/jsx';

export function ConfirmInPlace(props: {
  summary: Child;
  question: Child;
  action: string;
  yes: string;
  keep: string;
  htmx?: { target: string; swap: string };
  /** Hidden fields the form sends. */
  fields?: Record<string, string>;
  small?: boolean;
  class?: string;
}) {
  const size = props.small ? ' button--small' : '';
  const htmx = props.htmx
    ? {
        'hx-post': props.action,
        'hx-target': props.htmx.target,
        'hx-swap': props.htmx.swap,
        'hx-disabled-elt': 'find button',
      }
    : {};
  return (
    <details class={props.class ? `confirm ${props.class}` : 'confirm'}>
      <summary class={`button button--quiet${size}`}>{props.summary}</summary>
      <form method="post" action={props.action} {...htmx}>
        {Object.entries(props.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <p>{props.question}</p>
        <div class="actions">
          <button type="submit" class={`button button--danger${size}`}>
            {props.yes}
          </button>
          <button type="button" class={`button button--quiet${size}`} data-close-details>
            {props.keep}
          </button>
        </div>
      </form>
    </details>
  );
}
