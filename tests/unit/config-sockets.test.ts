/** The live-socket knobs of the environment: defaults a person never meets, and bad values refused. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const base = { SITE_TIME_ZONE: 'UTC' };

describe('live-socket configuration', () => {
  it('defaults: a ping every 30 s, 1 MiB buffered per socket, 64 sockets per address', () => {
    const config = loadConfig(base);
    expect(config.wsHeartbeatMs).toBe(30_000);
    expect(config.wsMaxBufferedBytes).toBe(4 * 1024 * 1024);
    expect(config.wsMaxSocketsPerAddress).toBe(64);
  });

  it('reads WS_HEARTBEAT_SECONDS, WS_MAX_BUFFERED_BYTES and WS_MAX_SOCKETS_PER_ADDRESS', () => {
    const config = loadConfig({
      ...base,
      WS_HEARTBEAT_SECONDS: '5',
      WS_MAX_BUFFERED_BYTES: '262144',
      WS_MAX_SOCKETS_PER_ADDRESS: '8',
    });
    expect(config.wsHeartbeatMs).toBe(5000);
    expect(config.wsMaxBufferedBytes).toBe(262_144);
    expect(config.wsMaxSocketsPerAddress).toBe(8);
  });

  it.each([
    ['WS_HEARTBEAT_SECONDS', '0'],
    ['WS_HEARTBEAT_SECONDS', 'soon'],
    ['WS_MAX_BUFFERED_BYTES', '100'],
    ['WS_MAX_BUFFERED_BYTES', '1.5'],
    ['WS_MAX_SOCKETS_PER_ADDRESS', '0'],
    ['WS_MAX_SOCKETS_PER_ADDRESS', '-3'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(name);
  });
});
