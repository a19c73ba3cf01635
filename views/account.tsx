/** Logging in, registering, the profile page, and what an open page is told when its session ends. */
import type { FormState } from './components/form-state.ts';
import { FormError, InputField } from './components/field.tsx';
import { PageEnded } from './components/page-ended.tsx';
import { ZoneField } from './components/zone-field.tsx';
import { ids } from './ids.ts';
import { type AccountChrome, Layout } from './layout.tsx';
import { paths } from './paths.ts';

export function LoginPage(props: { next: string; state: FormState; registrationOpen: boolean }) {
  const { values = {}, errors = {} } = props.state;
  return (
    <Layout title="Log in">
      <header class="page-head">
        <h1>Log in</h1>
        <p class="page-lede">Book meeting rooms and invite your teammates.</p>
      </header>
      <section class="card narrow" aria-labelledby="login-heading">
        <h2 id="login-heading" class="visually-hidden">
          Your account
        </h2>
        <FormError message={errors.form} />
        <form method="post" action={paths.login(props.next === paths.meetings() ? undefined : props.next)}>
          <InputField
            form="login"
            name="username"
            label="Username"
            value={values.username}
            autocomplete="username"
            required
            autofocus
          />
          <InputField
            form="login"
            name="password"
            label="Password"
            type="password"
            autocomplete="current-password"
            required
          />
          <div class="actions">
            <button type="submit" class="button">
              Log in
            </button>
          </div>
        </form>
        {props.registrationOpen ? (
          <p>
            No account yet? <a href={paths.register()}>Register</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

export function RegisterPage(props: { state: FormState; zonePending: boolean; registrationOpen: boolean }) {
  const { values = {}, errors = {} } = props.state;
  return (
    <Layout title="Register">
      <header class="page-head">
        <h1>Register</h1>
      </header>
      <section class="card narrow" aria-labelledby="register-heading">
        <h2 id="register-heading" class="visually-hidden">
          New account
        </h2>
        {props.registrationOpen ? (
          <>
            <FormError message={errors.form} />
            <form method="post" action={paths.register()}>
              <InputField
                form="register"
                name="displayName"
                label="Display name"
                value={values.displayName}
                error={errors.displayName}
                autocomplete="name"
                maxlength={80}
                required
                hint="How teammates see you in invites."
              />
              <InputField
                form="register"
                name="username"
                label="Username"
                value={values.username}
                error={errors.username}
                autocomplete="username"
                maxlength={32}
                required
                hint="2 to 32 letters, digits, dots, dashes or underscores."
              />
              <InputField
                form="register"
                name="password"
                label="Password"
                type="password"
                error={errors.password}
                autocomplete="new-password"
                required
                hint="At least 8 characters; any characters."
              />
              <ZoneField
                form="register"
                value={values.timeZone}
                error={errors.timeZone}
                pending={props.zonePending}
                hint="Invites are shown to you in this zone."
              />
              <div class="actions">
                <button type="submit" class="button">
                  Register
                </button>
              </div>
            </form>
            <p>
              Already registered? <a href={paths.login()}>Log in</a>
            </p>
          </>
        ) : (
          <p role="status">
            Registration is closed on this site. Ask a teammate who runs it to open it, or to create an account for you.
          </p>
        )}
      </section>
    </Layout>
  );
}

export function ProfilePage(props: { account: AccountChrome; live: string; profile: FormState; password: FormState }) {
  return (
    <Layout title="Profile" account={props.account} live={props.live}>
      <header class="page-head">
        <h1>Your profile</h1>
        <p class="page-lede">Signed in as {props.account.user.username}.</p>
      </header>
      <ProfileSection state={props.profile} />
      <PasswordSection state={props.password} />
    </Layout>
  );
}

export function ProfileSection(props: { state: FormState }) {
  const { values = {}, errors = {} } = props.state;
  return (
    <section id="profile-section" class="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Name and time zone</h2>
      {props.state.status ? (
        <p class="form-status" role="status">
          {props.state.status}
        </p>
      ) : null}
      <form
        method="post"
        action={paths.profile()}
        hx-post={paths.profile()}
        hx-target="#profile-section"
        hx-swap="outerHTML"
      >
        <InputField
          form="profile"
          name="displayName"
          label="Display name"
          value={values.displayName}
          error={errors.displayName}
          autocomplete="name"
          maxlength={80}
          required
        />
        <ZoneField
          form="profile"
          value={values.timeZone}
          error={errors.timeZone}
          hint="Invites and meetings are shown to you in this zone."
        />
        <div class="actions">
          <button type="submit" class="button">
            Save
          </button>
        </div>
      </form>
    </section>
  );
}

export function PasswordSection(props: { state: FormState }) {
  const { errors = {} } = props.state;
  return (
    <section id="password-section" class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <p class="field-hint">Changing it logs you out everywhere else.</p>
      {props.state.status ? (
        <p class="form-status" role="status">
          {props.state.status}
        </p>
      ) : null}
      <form method="post" action={paths.profilePassword()}>
        <InputField
          form="password"
          name="currentPassword"
          label="Current password"
          type="password"
          error={errors.currentPassword}
          autocomplete="current-password"
          required
        />
        <InputField
          form="password"
          name="newPassword"
          label="New password"
          type="password"
          error={errors.newPassword}
          autocomplete="new-password"
          required
          hint="At least 8 characters; any characters."
        />
        <div class="actions">
          <button type="submit" class="button">
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}

/** Pushed to an open page whose session ended (logout, password change), before its socket closes. */
export function SessionEnded() {
  return (
    <PageEnded
      tone="info"
      headingId="session-ended-heading"
      heading="You are logged out on this page"
      action={{ href: paths.login(), label: 'Log in' }}
      extra={<div id={ids.popups} hx-swap-oob="innerHTML"></div>}
    >
      <p>Its session ended: someone logged out, or the password was changed. Log in again to carry on.</p>
    </PageEnded>
  );
}
