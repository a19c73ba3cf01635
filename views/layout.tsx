/** The page shell: head with the one htmx config, skip link, header, main, live regions. */
import { type Child, createContext, useContext } from 'hono/jsx';
import { cookieNames, ids } from './ids.ts';
import { paths } from './paths.ts';

export interface AssetUrls {
  css: string;
  app: string;
  htmx: string;
  htmxWs: string;
  icon: string;
}

/**
 * The asset URLs, provided once by the page renderer (src/routes/page-renderer.tsx), so no page
 * passes them down. Null outside it: fragments and pushes have no layout.
 */
export const AssetUrlsContext = createContext<AssetUrls | null>(null);

function useAssetUrls(): AssetUrls {
  const urls = useContext(AssetUrlsContext);
  if (!urls) throw new Error('Layout rendered outside the page renderer (use c.render)');
  return urls;
}

/**
 * htmx settings, in one place. 4xx answers carry messages a person must see (409 "just taken",
 * 422 field errors, 429, 403, 404), so they are swapped like successes; 5xx too (a humane message
 * from onError). No eval, no script tags in swapped HTML, no history cache of capability pages.
 */
export const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  selfRequestsOnly: true,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '4..', swap: true, error: false },
    { code: '5..', swap: true, error: true },
    { code: '...', swap: false },
  ],
});

/** What a signed-in page adds: navigation, the pending count, and the pop-up containers. */
export interface AccountChrome {
  user: { displayName: string; username: string };
  pendingCount: number;
  /** The current pop-ups (views/popups.tsx), rendered into the page for people who were offline. */
  popups: Child;
  current?: 'meetings' | 'rooms' | 'invites' | 'profile';
}

export interface LayoutProps {
  title: string;
  /** WebSocket path: the page keeps one socket open to it for live updates. */
  live?: string | undefined;
  account?: AccountChrome | undefined;
  children: Child;
}

export function Layout(props: LayoutProps) {
  const assets = useAssetUrls();
  const main = (
    <>
      <div id={ids.flash} class="flash"></div>
      <main id={ids.main} tabindex={-1}>
        {props.children}
      </main>
    </>
  );
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={htmxConfig} />
        <title>{`${props.title} · Inter-Personal Time`}</title>
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={assets.css} />
        <script src={assets.htmx} defer></script>
        <script src={assets.htmxWs} defer></script>
        <script src={assets.app} defer></script>
      </head>
      {/* What public/app.js needs to know of the page: one source of truth for ids and cookie names. */}
      <body
        data-zone-cookie={cookieNames.zone}
        data-zone-pinned-cookie={cookieNames.zonePinned}
        data-live-status-id={ids.liveStatus}
        data-announcer-id={ids.announcer}
      >
        <a class="skip-link" href={`#${ids.main}`}>
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href={paths.home()}>
            Inter-Personal Time
          </a>
          {props.account ? <AccountNav account={props.account} /> : null}
        </header>
        {props.live ? (
          <div class="live-root" hx-ext="ws">
            <LiveSocket url={props.live} />
            <LiveStatus state="connecting" />
            {main}
            <Announcer />
            {props.account ? (
              <>
                {props.account.popups}
                <div id={ids.popupResults}></div>
              </>
            ) : null}
          </div>
        ) : (
          <>
            {main}
            <Announcer />
          </>
        )}
        <footer class="site-footer">
          <p>Inter-Personal Time · times are shown in your time zone</p>
        </footer>
      </body>
    </html>
  );
}

function AccountNav(props: { account: AccountChrome }) {
  const { account } = props;
  const current = (name: AccountChrome['current']) => (account.current === name ? 'page' : undefined);
  return (
    <nav class="account-nav" aria-label="Main">
      <ul role="list">
        <li>
          <a href={paths.meetings()} aria-current={current('meetings')}>
            My meetings
          </a>
        </li>
        <li>
          <a href={paths.rooms()} aria-current={current('rooms')}>
            Rooms
          </a>
        </li>
        <li>
          <a href={paths.inbox()} aria-current={current('invites')}>
            Invites <PendingCount count={account.pendingCount} />
          </a>
        </li>
        <li>
          <a href={paths.profile()} aria-current={current('profile')}>
            {account.user.displayName}
          </a>
        </li>
        <li>
          <form method="post" action={paths.logout()}>
            <button type="submit" class="link-button">
              Log out
            </button>
          </form>
        </li>
      </ul>
    </nav>
  );
}

/** The number of invites waiting for an answer, next to "Invites". */
export function PendingCount(props: { count: number; oob?: boolean }) {
  return (
    <span
      id={ids.inboxCount}
      class={props.count ? 'badge' : 'badge badge--empty'}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {props.count ? (
        <>
          {props.count}
          <span class="visually-hidden"> waiting for your answer</span>
        </>
      ) : null}
    </span>
  );
}

/**
 * The element holding the page's socket. A page that changes what its socket should send (the
 * dashboard's filter) replaces it with a new URL: htmx-ext-ws closes the old socket and opens one there.
 */
export function LiveSocket(props: { url: string; oob?: boolean }) {
  return <div id={ids.liveSocket} ws-connect={props.url} hx-swap-oob={props.oob ? 'true' : undefined}></div>;
}

/** The polite live region that reads out what changed on the page. */
function Announcer() {
  return <div id={ids.announcer} class="visually-hidden" aria-live="polite" aria-atomic="true"></div>;
}

/**
 * "Live" once the server has sent the current state; the script says "Reconnecting…" on a drop.
 * "ended": the server closed the socket for good (the page's link no longer works).
 */
export function LiveStatus(props: { state: 'connecting' | 'live' | 'ended'; oob?: boolean }) {
  return (
    <p
      id={ids.liveStatus}
      class={`live-status live-status--${props.state}`}
      role="status"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {props.state === 'live'
        ? 'Live: changes appear as they happen'
        : props.state === 'ended'
          ? 'Not live'
          : 'Connecting…'}
    </p>
  );
}

/** Text for the announcer; pushed with innerHTML so the live region itself stays in place. */
export function Announcement(props: { text: string }) {
  return (
    <div id={ids.announcer} hx-swap-oob="innerHTML">
      {props.text}
    </div>
  );
}
