/**
 * Talking to an app process over real HTTP, as a browser on its own pages does: form POSTs with a
 * matching Origin, htmx requests, and the schedule set-up fault tests repeat (a schedule, a day of
 * slots, their ids, a booking).
 */
import { adminKeyOf, CookieJar } from './http.ts';
import { WAIT_MS } from './patience.ts';
import { paths } from '../../views/paths.ts';

/** Where an app listens: an AppProcess, or anything with its url and origin. */
export interface Remote {
  url: string;
  origin: string;
}

export async function postForm(
  app: Remote,
  path: string,
  form: Record<string, string>,
  options: { jar?: CookieJar; htmx?: boolean } = {},
): Promise<Response> {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(form),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: app.origin,
      ...(options.jar ? { cookie: options.jar.header() } : {}),
      ...(options.htmx ? { 'hx-request': 'true' } : {}),
    },
  });
  options.jar?.store(response);
  return response;
}

export async function getPage(app: Remote, path: string, jar?: CookieJar): Promise<Response> {
  const response = await fetch(`${app.url}${path}`, {
    redirect: 'manual',
    headers: jar ? { cookie: jar.header() } : {},
  });
  jar?.store(response);
  return response;
}

export interface RemoteSchedule {
  adminKey: string;
  publicId: string;
}

/** Creates a schedule through the home page's form; returns its two capability keys. */
export async function createRemoteSchedule(app: Remote, title: string, timeZone = 'UTC'): Promise<RemoteSchedule> {
  const created = await postForm(app, paths.createSchedule(), { title, timeZone });
  if (created.status !== 303) throw new Error(`creating a schedule answered ${created.status}`);
  const adminKey = adminKeyOf(created.headers.get('location')!);
  const dashboard = await (await getPage(app, paths.admin(adminKey))).text();
  const publicId = /\/s\/([a-z2-7]{32})/.exec(dashboard)![1]!;
  return { adminKey, publicId };
}

/** Ids of the schedule's slots in start order, as its dashboard lists them. */
export async function slotIdsOf(app: Remote, schedule: RemoteSchedule): Promise<string[]> {
  // The dashboard lists every slot (the scheduling page shows one day at a time).
  const page = await (await getPage(app, paths.admin(schedule.adminKey, 'all'))).text();
  return [...page.matchAll(/id="slot-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

/** Adds a day of 15-minute slots (00:00–23:45, 95 of them) on `date` in the schedule's zone. */
export async function addDayOfSlots(app: Remote, schedule: RemoteSchedule, date: string): Promise<void> {
  const added = await postForm(
    app,
    paths.adminSlots(schedule.adminKey),
    { date, start: '00:00', end: '23:45', split: '15', notes: '' },
    { htmx: true },
  );
  if (added.status !== 200) throw new Error(`adding slots on ${date} answered ${added.status}`);
}

/** A booking as a new visitor (no cookie yet) would send it from the page, through htmx. */
export function claimAsNewVisitor(
  app: Remote,
  schedule: RemoteSchedule,
  slotId: string,
  name: string,
): Promise<Response> {
  return postForm(
    app,
    paths.claimSlot(schedule.publicId, slotId),
    { name, email: '' },
    { htmx: true, jar: new CookieJar() },
  );
}

/** A date `days` ahead of today (UTC), as date inputs want it. */
export function daysAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Polls `path` until it answers 200; returns every status seen (the last is 200 unless time ran out). */
export async function statusesUntilOk(app: Remote, path: string, timeoutMs = WAIT_MS): Promise<number[]> {
  const statuses: number[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await getPage(app, path)).status;
    statuses.push(status);
    if (status === 200 || Date.now() > deadline) return statuses;
    await new Promise((r) => setTimeout(r, 100));
  }
}
