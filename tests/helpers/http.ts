/** Requests through app.request(), with a cookie jar and the headers a browser would send. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../src/app-env.ts';

export const ORIGIN = 'http://localhost';

/** Cookies by name (paths ignored: each test's visitor stays on one schedule). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, decodeURIComponent(value));
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}

export interface RequestOptions {
  jar?: CookieJar;
  htmx?: boolean;
  headers?: Record<string, string>;
}

function headersFor(options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.jar && options.jar.cookies.size > 0) headers.cookie = options.jar.header();
  if (options.htmx) headers['hx-request'] = 'true';
  return headers;
}

export async function get(app: Hono<AppEnv>, path: string, options: RequestOptions = {}): Promise<Response> {
  const response = await app.request(path, { headers: headersFor(options) });
  options.jar?.store(response);
  return response;
}

/** A form POST as a browser sends it from one of our pages (same origin); pairs repeat a field (checkboxes). */
export async function post(
  app: Hono<AppEnv>,
  path: string,
  form: Record<string, string> | [string, string][],
  options: RequestOptions = {},
): Promise<Response> {
  const response = await app.request(path, {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
      'sec-fetch-site': 'same-origin',
      ...headersFor(options),
    },
  });
  options.jar?.store(response);
  return response;
}

/** The admin key from a dashboard URL. */
export function adminKeyOf(location: string): string {
  const match = /^\/admin\/([a-z2-7]{32})$/.exec(location);
  if (!match) throw new Error(`not a dashboard URL: ${location}`);
  return match[1]!;
}

/** Text content with tags removed and whitespace collapsed, for readable assertions. */
export function textOf(html: string): string {
  return html
    .replace(/<\/?(a|strong|span|em|b|i|code)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The outer HTML of the element with this id (first match; fine for the flat fragments here). */
export function elementById(html: string, id: string): string | null {
  const start = html.search(new RegExp(`<([a-z0-9]+)[^>]*\\sid="${id}"`));
  if (start < 0) return null;
  const tag = /^<([a-z0-9]+)/.exec(html.slice(start))![1]!;
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*?(/?)>`, 'g');
  re.lastIndex = start;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[2] === '/') continue;
    depth += m[1] === '/' ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  return html.slice(start);
}

/** Registers an account through the form and returns a jar holding its session cookie. */
export async function registerAs(
  app: Hono<AppEnv>,
  username: string,
  options: { password?: string; displayName?: string; timeZone?: string } = {},
): Promise<CookieJar> {
  const jar = new CookieJar();
  const response = await post(
    app,
    '/register',
    {
      username,
      password: options.password ?? 'a good password',
      displayName: options.displayName ?? username[0]!.toUpperCase() + username.slice(1),
      timeZone: options.timeZone ?? 'America/New_York',
    },
    { jar },
  );
  if (response.status !== 303)
    throw new Error(`register ${username}: ${response.status} ${textOf(await response.text()).slice(0, 300)}`);
  return jar;
}

/** Logs in through the form; returns the jar and the response. */
export async function loginAs(
  app: Hono<AppEnv>,
  username: string,
  password = 'a good password',
  jar = new CookieJar(),
) {
  const response = await post(app, '/login', { username, password }, { jar });
  return { jar, response };
}
