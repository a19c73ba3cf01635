/**
 * The demo accounts of an embedded start (seeds/users.csv, with their passwords in the repository)
 * exist only where someone is trying the app: a new embedded data folder, with a warning in the
 * log. SEED_DEMO=false leaves them out; a folder that has been used, or PostgreSQL, never gets them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery } from '../helpers/databases.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { type AppProcess, startAppProcess } from '../helpers/process.ts';

const DEMO = { username: 'marissa', password: 'coffee-time-1' }; // seeds/users.csv

async function logIn(app: AppProcess, user = DEMO): Promise<number> {
  const response = await fetch(`${app.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(user),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: app.origin,
      'sec-fetch-site': 'same-origin',
    },
  });
  return response.status;
}

describe('demo accounts', { timeout: STORY_TIMEOUT_MS }, () => {
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipt-demo-'));
    folders.push(dir);
    return join(dir, 'data');
  };
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('are created in a new embedded folder only, with a warning, and never again once it has been used', async () => {
    const dataDir = folder();
    const first = await startAppProcess({ DATA_DIR: dataDir, SEED_DEMO: '' });
    try {
      await expect.poll(() => first.logs.join('')).toContain('Demo logins (change or remove them before real use)');
      await expect.poll(() => logIn(first)).toBe(303);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    // Restarted on the same folder: no second seeding and no warning (the accounts stay until removed).
    const second = await startAppProcess({ DATA_DIR: dataDir, SEED_DEMO: '' });
    try {
      expect(second.logs.join('')).not.toContain('Demo logins');
    } finally {
      await second.stop();
    }
  });

  it('are left out with SEED_DEMO=false', async () => {
    const app = await startAppProcess({ DATA_DIR: folder(), SEED_DEMO: 'false' });
    try {
      expect(await logIn(app)).toBe(401);
      expect(app.logs.join('')).not.toContain('Demo logins');
    } finally {
      await app.stop();
    }
  });

  const base = process.env.TEST_DATABASE_URL;
  it.skipIf(!base)('are never created in PostgreSQL', async () => {
    const name = `ipt_demo_${process.pid}`;
    await adminQuery(base!, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    });
    const url = new URL(base!);
    url.pathname = `/${name}`;
    const app = await startAppProcess({ DATABASE_URL: url.toString(), SEED_DEMO: 'true' });
    try {
      expect(await logIn(app)).toBe(401);
      expect(app.logs.join('')).not.toContain('Demo logins');
    } finally {
      await app.stop();
      await adminQuery(base!, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
});
