/**
 * The dashboard's own link: replacing it (in the settings area), the notice on the new dashboard,
 * and what an open dashboard on the old link is told when it stops working.
 */
import { ids } from './ids.ts';
import { PageEnded } from './components/page-ended.tsx';
import { paths } from './paths.ts';

/** The form that replaces the admin link, with what that does. */
export function DashboardLinkSection(props: { adminKey: string }) {
  const action = paths.adminRotate(props.adminKey);
  return (
    <section id={ids.dashboardLink} class="card" aria-labelledby="dashboard-link-heading">
      <h2 id="dashboard-link-heading">Replace this dashboard’s link</h2>
      <p id="dashboard-link-hint">
        If this link reached someone who should not have it, replace it. The current link stops working at once, in
        every open tab and on every device; this page moves to the new link. Bookmark the new one: it is the only way
        back here. Your scheduling page link and your visitors’ bookings do not change.
      </p>
      <form method="post" action={action} hx-post={action} hx-disabled-elt="find button">
        <button type="submit" class="button button--danger" aria-describedby="dashboard-link-hint">
          Replace the dashboard link
        </button>
      </form>
    </section>
  );
}

/** Shown once on the new dashboard, right after the link was replaced. */
export function LinkReplacedNotice() {
  return (
    <section class="panel panel--success" role="status" aria-labelledby="link-replaced-heading">
      <h2 id="link-replaced-heading" tabindex={-1} autofocus>
        Your dashboard has a new link: this page
      </h2>
      <p>
        The old link no longer works. <strong>Bookmark this page now</strong>; nobody can send you this link again.
      </p>
    </section>
  );
}

/** Pushed to a dashboard opened with a link that was replaced, just before its socket is closed. */
export function DashboardLinkGone() {
  return (
    <PageEnded
      tone="error"
      headingId="link-gone-heading"
      heading="This dashboard link was replaced"
      action={{ href: paths.home(), label: 'Go to the home page' }}
    >
      <p>
        It no longer works: the dashboard now has a new link, made on the dashboard itself (perhaps in another tab or on
        another device). Open the new link you bookmarked. If you did not replace it, whoever did now holds this
        schedule.
      </p>
    </PageEnded>
  );
}
