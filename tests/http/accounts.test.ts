/** Accounts through app.request(): register, log in and out, sessions, rate limits, profile. */
import { describe, expect, it } from 'vitest';
import { sessions } from '../../src/db/schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { CookieJar, elementById, get, loginAs, post, registerAs, textOf } from '../helpers/http.ts';

describe.each(databaseKinds)('accounts on %s', (kind) => {
  const database = useTestDatabase(kind);

  it('registers, sets an HttpOnly SameSite session cookie, and stores only its hash', async () => {
    const t = createTestApp(database.current.db);
    const jar = new CookieJar();
    const response = await post(
      t.app,
      '/register',
      { displayName: 'Ann Example', username: 'Ann', password: 'a good password', timeZone: 'Asia/Calcutta' },
      { jar },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/meetings');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http here; https origins get Secure
    const token = jar.cookies.get('session')!;
    const stored = await database.current.db.select().from(sessions);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).not.toBe(token);
    expect(stored[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    const profile = await (await get(t.app, '/profile', { jar })).text();
    expect(profile).toContain('Signed in as ann.');
    expect(profile).toMatch(/<option value="Asia\/Kolkata" selected="">/);
  });

  it('sets Secure on the cookie behind HTTPS', async () => {
    const t = createTestApp(database.current.db, { config: { publicUrl: 'https://rooms.example.org' } });
    const response = await post(
      t.app,
      '/register',
      { displayName: 'Bo', username: 'bo', password: 'a good password', timeZone: 'UTC' },
      { headers: { origin: 'https://rooms.example.org' } },
    );
    expect(response.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/Secure/);
  });

  it('refuses bad registrations next to the fields, keeping what was typed', async () => {
    const t = createTestApp(database.current.db);
    await registerAs(t.app, 'ann');
    const taken = await post(t.app, '/register', {
      displayName: 'Other Ann',
      username: 'ANN',
      password: 'a good password',
      timeZone: 'UTC',
    });
    expect(taken.status).toBe(422);
    const html = await taken.text();
    expect(elementById(html, 'register-username-error')).toContain('That username is taken');
    expect(html).toContain('value="Other Ann"');
    const short = await post(t.app, '/register', {
      displayName: 'Cy',
      username: 'cy',
      password: 'short',
      timeZone: 'UTC',
    });
    expect(short.status).toBe(422);
    expect(elementById(await short.text(), 'register-password-error')).toContain('at least 8');
    const badName = await post(t.app, '/register', {
      displayName: '',
      username: 'a b',
      password: 'a good password',
      timeZone: 'Nowhere',
    });
    const badHtml = await badName.text();
    expect(elementById(badHtml, 'register-username-error')).toContain('2 to 32 letters');
    expect(elementById(badHtml, 'register-displayName-error')).toContain('Enter the name');
    expect(elementById(badHtml, 'register-timeZone-error')).toContain('not a time zone we know');
  });

  it('closes sign-up with REGISTRATION=closed', async () => {
    const t = createTestApp(database.current.db, { config: { registration: 'closed' } });
    const page = await get(t.app, '/register');
    expect(page.status).toBe(403);
    expect(textOf(await page.text())).toContain('Registration is closed');
    const attempt = await post(t.app, '/register', {
      displayName: 'Cy',
      username: 'cy',
      password: 'a good password',
      timeZone: 'UTC',
    });
    expect(attempt.status).toBe(403);
  });

  it('gives wrong credentials one generic message, and a fresh session on every login', async () => {
    const t = createTestApp(database.current.db);
    const first = await registerAs(t.app, 'ann');
    const wrong = await loginAs(t.app, 'ann', 'not the password');
    const unknown = await loginAs(t.app, 'nobody', 'a good password');
    expect(wrong.response.status).toBe(401);
    expect(unknown.response.status).toBe(401);
    const message = (html: string) =>
      textOf(elementById(html, 'login-heading') ? html : html).match(
        /That username and password do not match an account\./,
      )?.[0];
    expect(message(await wrong.response.text())).toBeDefined();
    expect(message(await unknown.response.text())).toBeDefined();

    const oldToken = first.cookies.get('session');
    const again = await loginAs(t.app, 'ann', 'a good password', first);
    expect(again.response.status).toBe(303);
    expect(first.cookies.get('session')).not.toBe(oldToken);
    const stale = new CookieJar();
    stale.set('session', oldToken!);
    expect((await get(t.app, '/rooms', { jar: stale })).status).toBe(303); // the old session ended
    expect((await get(t.app, '/rooms', { jar: first })).status).toBe(200);
  });

  it('sends people without a session to the login page and back', async () => {
    const t = createTestApp(database.current.db);
    const page = await get(t.app, '/rooms?date=2027-03-16');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Frooms%3Fdate%3D2027-03-16');
    // The login page's form keeps where the person was going.
    expect(await (await get(t.app, page.headers.get('location')!)).text()).toContain(
      'action="/login?next=%2Frooms%3Fdate%3D2027-03-16"',
    );
    expect(await (await get(t.app, '/login?next=%2Frooms')).text()).toContain('action="/login?next=%2Frooms"');
    const htmx = await get(t.app, '/invites', { htmx: true });
    expect(htmx.headers.get('hx-redirect')).toBe('/login?next=%2Finvites');
    await registerAs(t.app, 'ann');
    const { response } = await post(t.app, '/login?next=%2Frooms%3Fdate%3D2027-03-16', {
      username: 'ann',
      password: 'a good password',
    }).then((r) => ({ response: r }));
    expect(response.headers.get('location')).toBe('/rooms?date=2027-03-16');
    const evil = await post(t.app, '/login?next=%2F%2Fevil.example', { username: 'ann', password: 'a good password' });
    expect(evil.headers.get('location')).toBe('/meetings');
  });

  it('rate-limits failed logins per account and per address', async () => {
    const t = createTestApp(database.current.db, {
      config: { loginMaxFailuresPerAccount: 3, loginMaxFailuresPerAddress: 5 },
    });
    await registerAs(t.app, 'ann');
    await registerAs(t.app, 'bo');
    for (let i = 0; i < 3; i++) expect((await loginAs(t.app, 'ann', 'wrong password')).response.status).toBe(401);
    const blocked = await loginAs(t.app, 'ann', 'a good password');
    expect(blocked.response.status).toBe(429);
    expect(blocked.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(textOf(await blocked.response.text())).toContain('too many failed logins');
    expect((await loginAs(t.app, 'bo', 'a good password')).response.status).toBe(303);
    for (let i = 0; i < 2; i++) await loginAs(t.app, `nobody${i}`, 'wrong password');
    expect((await loginAs(t.app, 'bo', 'a good password')).response.status).toBe(429); // this address is over its limit
  });

  it('logs out the current session only', async () => {
    const t = createTestApp(database.current.db);
    const one = await registerAs(t.app, 'ann');
    const two = (await loginAs(t.app, 'ann')).jar;
    const out = await post(t.app, '/logout', {}, { jar: one });
    expect(out.status).toBe(303);
    expect(one.cookies.has('session')).toBe(false);
    expect((await get(t.app, '/rooms', { jar: one })).status).toBe(303);
    expect((await get(t.app, '/rooms', { jar: two })).status).toBe(200);
  });

  it('changes the password, ending every other session and keeping this one', async () => {
    const t = createTestApp(database.current.db);
    const here = await registerAs(t.app, 'ann');
    const elsewhere = (await loginAs(t.app, 'ann')).jar;
    const wrong = await post(
      t.app,
      '/profile/password',
      { currentPassword: 'nope nope', newPassword: 'a better password' },
      { jar: here },
    );
    expect(wrong.status).toBe(422);
    expect(elementById(await wrong.text(), 'password-currentPassword-error')).toContain('not your current password');
    const changed = await post(
      t.app,
      '/profile/password',
      { currentPassword: 'a good password', newPassword: 'a better password' },
      { jar: here },
    );
    expect(changed.status).toBe(200);
    expect(textOf(await changed.text())).toContain('You are logged out everywhere else.');
    expect((await get(t.app, '/rooms', { jar: elsewhere })).status).toBe(303);
    expect((await get(t.app, '/rooms', { jar: here })).status).toBe(200);
    expect((await loginAs(t.app, 'ann', 'a better password')).response.status).toBe(303);
  });

  it('removes invisible characters from display names and wants a visible letter', async () => {
    const t = createTestApp(database.current.db);
    const jar = await registerAs(t.app, 'ann');
    // Blank Braille, a Hangul filler, zero-width and wide spaces: nothing anyone can see.
    for (const invisible of ['\u2800\u2800', '\u3164', '\u200b \u200b', '\u115f\u1160\uffa0', '\u2003']) {
      const refused = await post(t.app, '/profile', { displayName: invisible, timeZone: 'UTC' }, { jar, htmx: true });
      expect(refused.status).toBe(422);
      expect(textOf(await refused.text())).toMatch(/Enter the name people know you by|at least one letter or digit/);
    }
    const refused = await post(t.app, '/profile', { displayName: '👍👍', timeZone: 'UTC' }, { jar, htmx: true });
    expect(textOf(await refused.text())).toContain('A display name needs at least one letter or digit people can see.');
    // A name padded to pass for someone else's is saved as it looks.
    const padded = await post(
      t.app,
      '/profile',
      { displayName: 'Marissa Lopez (marissa)\u2800\u2800\u2800\u200b', timeZone: 'UTC' },
      { jar, htmx: true },
    );
    expect(padded.status).toBe(200);
    expect(await padded.text()).toContain('value="Marissa Lopez (marissa)"');
    // Persian names keep the zero-width non-joiner between their letters.
    const persian = await post(
      t.app,
      '/profile',
      { displayName: 'مهر\u200cناز', timeZone: 'UTC' },
      { jar, htmx: true },
    );
    expect(await persian.text()).toContain('value="مهر\u200cناز"');
  });

  it('updates display name and time zone', async () => {
    const t = createTestApp(database.current.db);
    const jar = await registerAs(t.app, 'ann');
    const saved = await post(
      t.app,
      '/profile',
      { displayName: 'Ann B.', timeZone: 'Europe/Kyiv' },
      { jar, htmx: true },
    );
    expect(saved.status).toBe(200);
    const html = await saved.text();
    expect(textOf(html)).toContain('Saved.');
    expect(html).toMatch(/<option value="Europe\/Kyiv" selected="">/);
    const bad = await post(t.app, '/profile', { displayName: '', timeZone: 'Europe/Kyiv' }, { jar, htmx: true });
    expect(bad.status).toBe(422);
  });
});
