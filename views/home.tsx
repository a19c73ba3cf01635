/** The home page: what the app does, and the "Create a schedule" form. */
import type { FormState } from './components/form-state.ts';
import { FormError, InputField } from './components/field.tsx';
import { ZoneField } from './components/zone-field.tsx';
import { Layout } from './layout.tsx';
import { paths } from './paths.ts';

export type CreateFormState = FormState & {
  /** The browser's zone is not known yet (first visit): the zone field fills itself in. */
  zonePending?: boolean;
};

export function HomePage(props: { form: CreateFormState }) {
  const { values = {}, errors = {} } = props.form;
  return (
    <Layout title="Share times people can book">
      <header class="page-head">
        <h1>Hand out time slots. Nobody gets double-booked.</h1>
        <p class="page-lede">
          Create a schedule, add the times you are free, and send one link. People see every time in their own time
          zone, and a time disappears for everyone the moment someone books it. No account needed.
        </p>
      </header>
      <section class="card" aria-labelledby="create-heading">
        <h2 id="create-heading">Create a schedule</h2>
        <FormError message={errors.form} />
        <form method="post" action={paths.createSchedule()}>
          <InputField
            form="create"
            name="title"
            label="Title (optional)"
            value={values.title}
            error={errors.title}
            maxlength={120}
            hint="For example “Career coaching”."
          />
          <InputField
            form="create"
            name="hostName"
            label="Your name (optional)"
            value={values.hostName}
            error={errors.hostName}
            maxlength={80}
            autocomplete="name"
          />
          <ZoneField
            form="create"
            value={values.timeZone}
            error={errors.timeZone}
            pending={props.form.zonePending}
            hint="You add times in this zone; visitors see them in theirs."
          />
          <div class="actions">
            <button type="submit" class="button">
              Create a schedule
            </button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="rooms-heading">
        <h2 id="rooms-heading">Sharing meeting rooms as a team?</h2>
        <p>
          Log in to see every room’s free hours, invite a teammate into a room, and get their answer the moment they
          give it.
        </p>
        <p class="actions">
          <a class="button button--quiet" href={paths.login()}>
            Log in
          </a>
          <a href={paths.register()}>Register</a>
        </p>
      </section>
      <section class="how" aria-labelledby="how-heading">
        <h2 id="how-heading">How it works</h2>
        <ol>
          <li>You get two links: a private dashboard for you, and a scheduling page to share.</li>
          <li>Add times on the dashboard, one at a time or split into 15 to 60-minute slots.</li>
          <li>Visitors book a time and get a calendar file. You see bookings as they happen.</li>
        </ol>
      </section>
    </Layout>
  );
}
