/**
 * "Release this time…", confirmed in place: the question and "Yes, release it" / "Keep it" open
 * under it (a <details>, so it works without JavaScript; public/app.js lets "Keep it" close it).
 * `htmxTarget`: where an htmx answer goes; without it the form posts as a plain page.
 */
export function ReleaseConfirm(props: { action: string; question: string; htmxTarget?: string }) {
  const htmx = props.htmxTarget
    ? {
        'hx-post': props.action,
        'hx-target': props.htmxTarget,
        'hx-swap': 'innerHTML',
        'hx-disabled-elt': 'find button',
      }
    : {};
  return (
    <details class="confirm">
      <summary class="button button--quiet">Release this time…</summary>
      <form method="post" action={props.action} {...htmx}>
        <p>{props.question}</p>
        <div class="actions">
          <button type="submit" class="button button--danger">
            Yes, release it
          </button>
          <button type="button" class="button button--quiet" data-close-details>
            Keep it
          </button>
        </div>
      </form>
    </details>
  );
}
