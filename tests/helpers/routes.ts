/** The routes an app registers, and concrete URLs for them, for tests that must cover every one. */
import { readdirSync, readFileSync } from 'node:fs';
import type { TestApp } from './app.ts';
import type { World } from './world.ts';

/** Every `METHOD path` the app registers (middleware, registered as ALL, left out), sorted. */
export function registeredRoutes(t: Pick<TestApp, 'app'>): string[] {
  return [...new Set(t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
}

/** The WebSocket routes: every `upgradeWebSocket(` in src/routes must be one of these. */
export const SOCKET_ROUTES = ['GET /admin/:adminKey/live', 'GET /s/:publicId/live', 'GET /live'] as const;

/** How many times src/routes calls upgradeWebSocket (a new socket route must be added above). */
export function countSocketRoutesInSource(): number {
  const dir = new URL('../../src/routes/', import.meta.url);
  // Socket routes go through liveSocket(); an upgradeWebSocket( anywhere else would be one too.
  return readdirSync(dir)
    .filter((file) => file !== 'live-socket.ts')
    .map(
      (file) => readFileSync(new URL(file, dir), 'utf8').match(/\.\.\.liveSocket\b|upgradeWebSocket\(/g)?.length ?? 0,
    )
    .reduce((a, b) => a + b, 0);
}

/**
 * A route's path with every parameter filled in from the world, as its rightful user would send
 * it: schedule A's keys, its open slot, Ann's pending invite, notice and room. Throws on a
 * parameter it does not know, so a new kind of route cannot slip through unfilled.
 */
export function concretePath(path: string, w: World, assetFile: string): string {
  const values: Record<string, string> = {
    adminKey: w.a.adminKey,
    publicId: w.a.publicId,
    manageKey: w.a.manageKey,
    slotId: w.a.slotIds[1],
    inviteId: w.pendingInviteId,
    noticeId: w.annNoticeId,
    roomId: w.roomId,
    file: assetFile,
  };
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = values[name];
    if (!value) throw new Error(`no value for :${name} in ${path}: add it to concretePath`);
    return value;
  });
}
