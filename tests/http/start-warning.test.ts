/**
 * A server started with neither PUBLIC_URL nor TRUST_PROXY says, loudly, what that means behind a
 * reverse proxy; with either set it says nothing of the kind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { startAppProcess } from '../helpers/process.ts';

const WARNING = 'neither PUBLIC_URL nor TRUST_PROXY is set';

describe('the start-up warning about the site origin', { timeout: STORY_TIMEOUT_MS }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ipt-warning-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each<{ when: string; env: Record<string, string>; warned: boolean }>([
    { when: 'neither is set', env: {}, warned: true },
    { when: 'PUBLIC_URL is set', env: { PUBLIC_URL: 'https://meet.example.org' }, warned: false },
    { when: 'TRUST_PROXY is on', env: { TRUST_PROXY: 'true' }, warned: false },
  ])('when $when: warned $warned', async ({ env, warned }) => {
    const app = await startAppProcess({ DATA_DIR: join(dir, Object.keys(env).join('-') || 'plain'), ...env });
    try {
      // The listening line comes after the warning: once it is there, the warning would be too.
      await expect.poll(() => app.logs.join('')).toContain('listening on');
      expect(app.logs.join('').includes(WARNING)).toBe(warned);
    } finally {
      expect(await app.stop()).toBe(0);
    }
  });
});
