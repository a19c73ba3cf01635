/**
 * Hostile input, table-driven: the world every hostile request meets, how a case is sent, and what
 * every answer must be. The tables themselves are in tests/http/hostile-*.test.ts.
 *
 * Every request is sent as a browser on our own pages would send it (same-origin headers, so CSRF
 * hides no handler), as a plain form and, where the route serves htmx, as an htmx request too. For
 * each one: the status that fits (never a 5xx), a readable sentence in the returned HTML (no stack
 * trace, no SQL, no error names, nothing the request sent echoed unescaped), and a database that is
 * exactly as it was before.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invites, notifications, rooms, slots, users } from '../../src/db/schema.ts';
import { findScheduleByAdminKey } from '../../src/domain/schedules.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, TEST_NOW, type TestApp } from './app.ts';
import { type DatabaseKind, databaseKinds, openTestDatabase, type TestDatabase } from './databases.ts';
import { makeSlots } from './fixtures.ts';
import { adminKeyOf, CookieJar, ORIGIN, post, registerAs, textOf } from './http.ts';
import { snapshotDatabase } from './snapshot.ts';

// ---------------------------------------------------------------------------------------------
// The world every hostile request meets: two schedules (one with an open, a booked and a started
// slot), a visitor holding a booking, three people, two rooms and an archived one, a pending
// invite, an accepted meeting and an unread notice.

export type Who = 'anon' | 'visitor' | 'alice' | 'bob' | 'carol';

export interface World {
  adminKey: string;
  publicId: string;
  openSlot: string;
  bookedSlot: string;
  startedSlot: string;
  otherAdminKey: string;
  otherPublicId: string;
  otherSlot: string;
  manageKey: string;
  roomId: string;
  otherRoomId: string;
  archivedRoomId: string;
  aliceId: string;
  bobId: string;
  pendingInvite: string;
  meeting: string;
  noticeId: string;
  /** Room One, Monday 23 November 2026, by New York hour: the instant the hour starts. */
  hour: (hour: number) => string;
  jars: Record<Who, CookieJar>;
}

const ZONE = 'America/New_York';
export const MONDAY = '2026-11-23';

async function buildWorld(t: TestApp, db: TestDatabase['db']): Promise<World> {
  const created = await post(t.app, paths.createSchedule(), {
    title: 'Career coaching',
    hostName: 'Marissa',
    timeZone: ZONE,
  });
  const adminKey = adminKeyOf(created.headers.get('location')!);
  const schedule = (await findScheduleByAdminKey(db, adminKey))!;
  expect(
    (
      await post(t.app, paths.adminSlots(adminKey), {
        date: '2026-11-25',
        start: '09:00',
        end: '10:00',
        split: '30',
        notes: '',
      })
    ).status,
  ).toBe(303);
  const [started] = await makeSlots(db, schedule.id, new Date(TEST_NOW.getTime() - 10 * 60_000), 1);
  const [first, second] = (
    await db.select().from(slots).where(eq(slots.scheduleId, schedule.id)).orderBy(slots.startsAt)
  ).filter((s) => s.id !== started!.id);

  const visitor = new CookieJar();
  const claimed = await post(
    t.app,
    paths.claimSlot(schedule.publicId, first!.id),
    { name: 'Vera Visitor', email: 'vera@example.com' },
    { jar: visitor },
  );
  expect(claimed.status).toBe(200);
  const manageKey = /\/b\/([a-z2-7]{32})/.exec(await claimed.text())![1]!;

  const other = await post(t.app, paths.createSchedule(), { title: 'Someone else', timeZone: 'UTC' });
  const otherAdminKey = adminKeyOf(other.headers.get('location')!);
  const otherSchedule = (await findScheduleByAdminKey(db, otherAdminKey))!;
  const [otherSlot] = await makeSlots(db, otherSchedule.id, new Date('2026-12-01T10:00:00Z'), 1);

  const alice = await registerAs(t.app, 'alice');
  const bob = await registerAs(t.app, 'bob');
  const carol = await registerAs(t.app, 'carol');
  const everyDay = Object.fromEntries(
    [1, 2, 3, 4, 5, 6, 7].flatMap((d) => [
      [`open${d}`, '1'],
      [`from${d}`, '8'],
      [`to${d}`, '18'],
    ]),
  );
  for (const name of ['Room One', 'Room Two', 'Old room']) {
    expect((await post(t.app, paths.newRoom(), { name, description: '', ...everyDay }, { jar: alice })).status).toBe(
      303,
    );
  }
  const roomRows = await db.select().from(rooms);
  const roomId = roomRows.find((r) => r.name === 'Room One')!.id;
  const otherRoomId = roomRows.find((r) => r.name === 'Room Two')!.id;
  const archivedRoomId = roomRows.find((r) => r.name === 'Old room')!.id;
  expect((await post(t.app, paths.roomArchive(archivedRoomId), {}, { jar: alice })).status).toBe(303);

  const people = await db.select().from(users);
  const aliceId = people.find((u) => u.username === 'alice')!.id;
  const bobId = people.find((u) => u.username === 'bob')!.id;
  const blocks = hourBlocksOfDate(MONDAY, ZONE);
  const hour = (h: number) => blocks[h]!.startsAt.toISOString();
  for (const h of [10, 11]) {
    const sent = await post(
      t.app,
      paths.sendInvite(),
      { room: roomId, start: hour(h), invitee: bobId, note: 'Planning' },
      { jar: alice, htmx: true },
    );
    expect(sent.status).toBe(200);
  }
  const inviteRows = await db.select().from(invites).orderBy(invites.startsAt);
  const [pendingInvite, meeting] = inviteRows.map((i) => i.id);
  expect(
    (
      await post(
        t.app,
        paths.inviteAction(meeting!, 'accept'),
        {},
        { jar: bob, htmx: true, headers: { 'hx-target': ids.popupResults } },
      )
    ).status,
  ).toBe(200);
  const [notice] = await db.select().from(notifications).where(eq(notifications.userId, aliceId));

  return {
    adminKey,
    publicId: schedule.publicId,
    openSlot: second!.id,
    bookedSlot: first!.id,
    startedSlot: started!.id,
    otherAdminKey,
    otherPublicId: otherSchedule.publicId,
    otherSlot: otherSlot!.id,
    manageKey,
    roomId,
    otherRoomId,
    archivedRoomId,
    aliceId,
    bobId,
    pendingInvite: pendingInvite!,
    meeting: meeting!,
    noticeId: notice!.id,
    hour,
    jars: { anon: new CookieJar(), visitor, alice, bob, carol },
  };
}

// ---------------------------------------------------------------------------------------------
// What a request is, and what it must get back.

export type Body =
  | { form: Record<string, string | string[]> }
  | { multipart: Record<string, string | Blob> }
  | { raw: string | Blob; type?: string };

export interface Case {
  name: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: (w: World) => string;
  body?: (w: World) => Body;
  as?: Who;
  headers?: Record<string, string>;
  /** The status a plain request gets. */
  status: number;
  /** The status an htmx request gets; absent: the route serves no htmx, so it is not sent. */
  htmx?: number;
  /** A message the answer must carry (plain answer). */
  says?: RegExp;
  /** Where a success status answers a hostile request that is harmless (ignored or refused by redirect). */
  location?: RegExp;
  /** The route only ever answers with a fragment (htmx fetches it), never a page. */
  fragment?: boolean;
}

const SAME_ORIGIN = { origin: ORIGIN, 'sec-fetch-site': 'same-origin' };

export function requestInit(w: World, c: Case, htmx: boolean): RequestInit {
  const headers: Record<string, string> = { ...SAME_ORIGIN, ...(c.headers ?? {}) };
  const jar = w.jars[c.as ?? 'anon'];
  if (jar.cookies.size > 0) headers.cookie = jar.header();
  if (htmx) headers['hx-request'] = 'true';
  const init: RequestInit = { method: c.method ?? (c.body ? 'POST' : 'GET'), headers };
  const body = c.body?.(w);
  if (!body) return init;
  if ('form' in body) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(body.form)) for (const v of [value].flat()) params.append(key, v);
    headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = params;
  } else if ('multipart' in body) {
    const data = new FormData();
    for (const [key, value] of Object.entries(body.multipart)) data.append(key, value);
    init.body = data;
  } else {
    if (body.type) headers['content-type'] = body.type;
    init.body = body.raw;
  }
  return init;
}

/** What must never reach a person: internals, and anything hostile the request sent, unescaped. */
export const LEAKS = [
  /\bat [\w$.<>]+ \(/, // stack frame
  /\bat (file|node):/,
  /node_modules/,
  /\b(Type|Range|Reference|Syntax|Zod|Postgres|Drizzle)?Error\b:?/,
  /SQLSTATE|syntax error|invalid input|violates|duplicate key|\bSELECT\b|\bINSERT INTO\b|\bDELETE FROM\b/,
  /"(success|issues|code)":/,
  /\[object \w+\]|\bundefined\b|\bNaN\b/,
  /<script>alert|<img src=x/,
];

/** Words a person reads: a word of letters and at least two more (linear: no backtracking). */
const SENTENCE = /[A-Za-z][a-z’']*[,:]?( \S+){2,}/;

/** The element that starts at `start`, whole. */
function elementAt(html: string, start: number): string {
  const tag = /^<([a-z0-9]+)/.exec(html.slice(start))![1]!;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*?(/?)>`, 'g');
  re.lastIndex = start;
  let depth = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[2] === '/') continue;
    depth += m[1] === '/' ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  return html.slice(start);
}

/** What the answer tells the person: alerts, statuses, field and form errors, error panels. */
function messagesOf(html: string): string[] {
  const opening =
    /<[a-z0-9]+\b[^>]*(role="(alert|status)"|class="[^"]*\b(field-error|form-error|panel--error|panel--info)\b[^"]*")[^>]*>/g;
  return [...html.matchAll(opening)].map((m) => textOf(elementAt(html, m.index)));
}

// ---------------------------------------------------------------------------------------------
// Hostile values.

const LONG = 'x'.repeat(60_000); // under the 64 KB body limit, far over every field's limit
export const HUGE = 'x'.repeat(100 * 1024); // over the body limit on its own

const HOSTILE_TEXT: [string, string][] = [
  ['NUL byte', 'a\u0000b'],
  ['only a NUL', '\u0000'],
  ['right-to-left override', '\u202egnp.exe'],
  ['CR LF and a header', 'line\r\nSet-Cookie: admin=1'],
  ['lone surrogate', 'a\uD800b'],
  ['script tag', '<script>alert(1)</script>'],
  ['attribute breakout', '"><img src=x onerror=alert(1)>'],
  ['SQL drop', "'; DROP TABLE slots; --"],
  ['SQL tautology', "' OR '1'='1"],
  ['percent escapes', '%00%27%3Cscript%3E'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax sent as plain text is the point
  ['template syntax', '${7*7}{{7*7}}<%= 7*7 %>'],
  ['terminal escapes', '\u0007\u001b[31mred\u001b[0m'],
  ['300 emoji', '😀'.repeat(300)],
  ['whitespace only', ' \t \u00a0 '],
  ['5,000 characters', 'y'.repeat(5000)],
];

export const BAD_ZONES = [
  'Mars/Olympus',
  '',
  'UTC\u0000',
  'UTC\r\nX: y',
  '../../etc/passwd',
  'America/New_York'.repeat(5),
  '<script>alert(1)</script>',
  "UTC' OR '1'='1",
  '+05:00',
  'Etc/GMT+99',
];

export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
export const MALFORMED_IDS: [string, string][] = [
  ['not a uuid', 'abc'],
  ['36 dashes', '-'.repeat(36)],
  ['uuid with a NUL', `${NO_SUCH_ID.slice(0, -1)}%00`],
  ['SQL in the id', "1'%20OR%20'1'='1"],
  ['10,000 characters', 'a'.repeat(10_000)],
  ['percent-encoded script', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
];

// ---------------------------------------------------------------------------------------------
// Forms: one spec each, expanded into cases.

export interface FormSpec {
  route: string;
  path: (w: World) => string;
  as?: Who;
  /** A submission the route would accept. */
  valid: (w: World) => Record<string, string>;
  /** Fields that make it refused (status `refused`); per field when the field itself is the spoiler. */
  spoil: Record<string, string>;
  spoilFor?: Record<string, Record<string, string>>;
  /** The status of a refused form: 422 unless said. */
  refused?: number;
  /** Nothing readable sent (no fields, JSON, text/plain): 422 unless said. */
  missing?: number;
  /** A field that is not text (a file) or several values for one field. */
  wrongType?: number;
  wrongTypeFor?: Record<string, number>;
  /** Fields that take text: every hostile text goes into each. */
  text: string[];
  /** Field values refused on their own, on the valid submission. */
  checks?: [string, (w: World) => Record<string, string | string[]>, number][];
  htmx?: boolean;
}

export function expandForm(spec: FormSpec): Case[] {
  const refused = spec.refused ?? 422;
  const missing = spec.missing ?? 422;
  const cases: Case[] = [];
  const add = (name: string, body: (w: World) => Body, status: number) =>
    cases.push({
      name: `${spec.route}: ${name}`,
      path: spec.path,
      as: spec.as,
      body,
      status,
      ...(spec.htmx ? { htmx: status } : {}),
    });
  const refusedWith = (w: World, field: string, value: string | string[]) => ({
    ...spec.valid(w),
    ...(spec.spoilFor?.[field] ?? spec.spoil),
    [field]: value,
  });
  const wrongTypeOf = (field: string) => spec.wrongTypeFor?.[field] ?? spec.wrongType ?? refused;

  add('nothing sent', () => ({ form: {} }), missing);
  add('a JSON body', (w) => ({ raw: JSON.stringify(spec.valid(w)), type: 'application/json' }), missing);
  add(
    'a text/plain body',
    (w) => ({ raw: new URLSearchParams(spec.valid(w)).toString(), type: 'text/plain' }),
    missing,
  );
  add(
    'a body without a content type',
    (w) => ({ raw: new Blob([new URLSearchParams(spec.valid(w)).toString()]) }),
    missing,
  );
  add(
    'broken multipart',
    () => ({
      raw: '--zzz\r\nContent-Disposition: form-data; name="x"\r\n\r\nunterminated',
      type: 'multipart/form-data; boundary=zzz',
    }),
    400,
  );
  add('multipart without a boundary', () => ({ raw: 'title=x', type: 'multipart/form-data' }), 400);
  add('refused form sent as multipart', (w) => ({ multipart: { ...spec.valid(w), ...spec.spoil } }), refused);
  add(
    'extra and odd field names',
    (w) => ({
      form: {
        ...spec.valid(w),
        ...spec.spoil,
        extra: '<script>alert(1)</script>',
        ['__proto__']: 'x',
        constructor: 'x',
        'a[b]': 'c',
        '': 'empty name',
      },
    }),
    refused,
  );
  add(
    'malformed percent escapes',
    (w) => {
      const rest = new URLSearchParams(
        Object.entries({ ...spec.valid(w), ...(spec.spoilFor?.[spec.text[0]!] ?? spec.spoil) }).filter(
          ([key]) => key !== spec.text[0],
        ),
      );
      return { raw: `${rest}&${spec.text[0]}=%ZZ%E0%A4%A%00%`, type: 'application/x-www-form-urlencoded' };
    },
    refused,
  );
  add('one field of 100 KB', (w) => ({ form: { ...spec.valid(w), [spec.text[0]!]: HUGE } }), 413);
  add(
    '2,000 small fields over 64 KB',
    (w) => ({
      form: {
        ...spec.valid(w),
        ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, 'z'.repeat(30)])),
      },
    }),
    413,
  );
  // Several values for one field: the fields a person types into, and the ones checked on their own.
  const fields = new Set([...spec.text, ...(spec.checks ?? []).map(([field]) => field)]);
  for (const field of Object.keys(spec.valid(PLACEHOLDER_WORLD)).filter((f) => fields.has(f))) {
    add(
      `${field} repeated`,
      (w) => ({ form: refusedWith(w, field, [spec.valid(w)[field]!, spec.valid(w)[field]!]) }),
      wrongTypeOf(field),
    );
    add(
      `${field} as field[]`,
      (w) => ({ form: { ...spec.valid(w), ...spec.spoil, [`${field}[]`]: spec.valid(w)[field]! } }),
      refused,
    );
  }
  for (const field of spec.text) {
    for (const [label, value] of HOSTILE_TEXT)
      add(`${field} with ${label}`, (w) => ({ form: refusedWith(w, field, value) }), refused);
    add(`${field} of 60,000 characters`, (w) => ({ form: { ...spec.valid(w), [field]: LONG } }), refused);
    add(
      `${field} as a file`,
      (w) => ({
        multipart: {
          ...spec.valid(w),
          [field]: new File(['<script>alert(1)</script>'], 'evil.html', { type: 'text/html' }),
        },
      }),
      wrongTypeOf(field),
    );
  }
  for (const [field, value, status] of spec.checks ?? []) {
    add(
      `${field} = ${JSON.stringify(value(PLACEHOLDER_WORLD)[field])?.slice(0, 60)}`,
      (w) => ({ form: { ...spec.valid(w), ...value(w) } }),
      status,
    );
  }
  return cases;
}

/** Field names and labels only: the real world is built per database. */
const PLACEHOLDER_WORLD = new Proxy({} as World, {
  get: (_t, key) => (key === 'hour' ? () => 'HOUR' : key === 'jars' ? {} : String(key)),
});

/** Checks that each of `values` in `field`, on the otherwise valid form, gets `status`. */
export function refusing(
  field: string,
  values: readonly (string | string[])[],
  status: number,
): NonNullable<FormSpec['checks']> {
  return values.map((value) => [field, () => ({ [field]: value }), status]);
}

export const zoneChecks = (field: string): FormSpec['checks'] => [
  ...refusing(field, BAD_ZONES, 422),
  [field, () => ({ [field]: ['UTC', 'UTC'] }), 422],
];

// ---------------------------------------------------------------------------------------------
// Running a table.

/** What the extra tests of a table file can reach. */
export interface HostileContext {
  readonly database: TestDatabase;
  readonly t: TestApp;
  readonly w: World;
}

/**
 * One describe per database kind: the world built once, then every case as its own test (the
 * database must be unchanged after each, so the world holds), then a check that the app still
 * books normally and that nothing reached the database it refused.
 */
export function describeHostileInput(
  title: string,
  cases: Case[],
  more?: (context: HostileContext, kind: DatabaseKind) => void,
): void {
  describe.each(databaseKinds)(`${title} on %s`, (kind) => {
    let database: TestDatabase;
    let t: TestApp;
    let w: World;
    let tried = 0;
    // The state after one request is the state before the next (nothing else writes meanwhile).
    let last: Record<string, string[]> | null = null;

    beforeAll(async () => {
      database = await openTestDatabase(kind);
      // Limits that a real person never meets are met here on purpose elsewhere; not in this table.
      t = createTestApp(database.db, {
        config: {
          bookingRateLimit: 1e9,
          registrationRateLimit: 1e9,
          loginMaxFailuresPerAccount: 1e9,
          loginMaxFailuresPerAddress: 1e9,
        },
      });
      w = await buildWorld(t, database.db);
    });

    afterAll(async () => {
      console.log(`${title} on ${kind}: ${tried} hostile requests sent (${cases.length} cases, plain and htmx)`);
      await database?.destroy();
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      for (const htmx of c.htmx === undefined ? [false] : [false, true]) {
        const label = `${c.name}${htmx ? ' (htmx)' : ''}`;
        const before = last ?? (await snapshotDatabase(database.db));
        const response = await t.app.request(c.path(w), requestInit(w, c, htmx));
        tried++;
        const body = await response.text();
        const after = await snapshotDatabase(database.db);
        last = after;
        const expected = htmx ? c.htmx! : c.status;

        expect(response.status, `${label}: ${textOf(body).slice(0, 300)}`).toBe(expected);
        expect(after, `${label} changed the database`).toEqual(before);
        for (const leak of LEAKS) expect(body, `${label} shows ${leak}`).not.toMatch(leak);
        if (expected >= 300 && expected < 400) {
          if (c.location) expect(response.headers.get('location'), label).toMatch(c.location);
          continue;
        }
        const type = response.headers.get('content-type') ?? '';
        if (c.says && !htmx) expect(textOf(body), label).toMatch(c.says);
        // Calendar files and the health check are no pages.
        if (expected < 300 && !type.startsWith('text/html')) continue;
        // The one socket route answers a missing session in a word; it is no page either.
        if (type.startsWith('text/plain')) {
          expect(body, label).toMatch(SENTENCE);
          continue;
        }
        if (htmx && expected === 404 && body === '') continue; // a dismissed notice: hx-swap="none"
        expect(type, label).toContain('text/html');
        if (!htmx && !c.fragment) expect(body, label).toMatch(/^<!DOCTYPE html>/);
        if (expected >= 400) {
          const messages = messagesOf(body);
          expect(
            messages.some((m) => SENTENCE.test(m)),
            `${label} says nothing readable: ${JSON.stringify(messages)}`,
          ).toBe(true);
        }
      }
    });

    it('still serves and books normally afterwards', async () => {
      const fresh = new CookieJar();
      const page = await t.app.request(paths.schedule(w.publicId));
      expect(page.status).toBe(200);
      const booked = await post(
        t.app,
        paths.claimSlot(w.publicId, w.openSlot),
        { name: 'After the storm', email: '' },
        { jar: fresh },
      );
      expect(booked.status).toBe(200);
      expect(textOf(await booked.text())).toContain('After the storm');
      expect(t.errors).toEqual([]);
      // Nothing reached the database that it refused: every value above was stopped before SQL.
      expect(t.logs).toEqual([]);
    });

    more?.(
      {
        get database() {
          return database;
        },
        get t() {
          return t;
        },
        get w() {
          return w;
        },
      },
      kind,
    );
  });
}
