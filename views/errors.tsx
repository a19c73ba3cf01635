/** Humane error pages and fragments: what happened, and a way on. */
import { Layout } from './layout.tsx';
import { paths } from './paths.ts';

export interface ErrorContent {
  status: number;
  title: string;
  message: string;
}

export function ErrorPage(props: { error: ErrorContent }) {
  return (
    <Layout title={props.error.title}>
      <ErrorMessage error={props.error} />
      <p>
        <a class="button" href={paths.home()}>
          Go to the home page
        </a>
      </p>
    </Layout>
  );
}

/** The message alone: the page body, or what an htmx request gets in the flash area. */
export function ErrorMessage(props: { error: ErrorContent }) {
  return (
    <section class="panel panel--error" role="alert" aria-labelledby="error-title">
      <h1 id="error-title" tabindex={-1} autofocus>
        {props.error.title}
      </h1>
      <p>{props.error.message}</p>
    </section>
  );
}

export const notFoundContent: ErrorContent = {
  status: 404,
  title: 'We could not find that page',
  message:
    'If you followed a link, check that it was copied whole: schedule links are long on purpose. A dashboard link that was changed or mistyped opens nothing.',
};

export const csrfContent: ErrorContent = {
  status: 403,
  title: 'That request came from somewhere else',
  message:
    'For your safety we only accept forms sent from this site’s own pages. Go back, reload the page and try again.',
};

export const badRequestContent: ErrorContent = {
  status: 400,
  title: 'We could not read that request',
  message: 'Go back, check what you entered and try again.',
};

export const tooLargeContent: ErrorContent = {
  status: 413,
  title: 'That was too much to send',
  message: 'Forms here take a few thousand characters at most. Go back, shorten what you entered and try again.',
};

export const serverErrorContent: ErrorContent = {
  status: 500,
  title: 'Something went wrong on our side',
  message: 'Your last action may not have been saved. Reload the page to see the current state, then try again.',
};

/** The database dropped the connection or cannot be reached (a restart, a failover): try again. */
export const databaseUnavailableContent: ErrorContent = {
  status: 503,
  title: 'We lost touch with our database for a moment',
  message:
    'Your last action may not have been saved. Wait a few seconds, reload the page to see where things stand, then try again.',
};
