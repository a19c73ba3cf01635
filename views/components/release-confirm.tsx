/**
 * "Release this time…", confirmed in place ("Yes, release it" / "Keep it").
 * `htmxTarget`: where an htmx answer goes; without it the form posts as a plain page.
 */
import { ConfirmInPlace } from './confirm-in-place.tsx';

export function ReleaseConfirm(props: { action: string; question: string; htmxTarget?: string }) {
  return (
    <ConfirmInPlace
      summary="Release this time…"
      question={props.question}
      action={props.action}
      yes="Yes, release it"
      keep="Keep it"
      {...(props.htmxTarget ? { htmx: { target: props.htmxTarget, swap: 'innerHTML' } } : {})}
    />
  );
}
