/**
 * A throwaway PostgreSQL cluster for fault scripts, so they can restart and crash a server without
 * touching anyone's: initdb into a temporary folder with the installed server binaries (Debian:
 * /usr/lib/postgresql/<version>/bin, or PG_BIN), listening on a free port on 127.0.0.1 with its
 * socket in that folder, trust authentication. PostgreSQL refuses to run as root, so under root
 * every server command runs as the `postgres` user through runuser.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../helpers/process.ts';

export interface PrivateCluster {
  url(database: string): string;
  port: number;
  /**
   * `pg_ctl restart -m <mode>`: fast (clean shutdown) or immediate (a crash: recovery from WAL).
   * Asynchronous, so the caller keeps sending requests meanwhile.
   */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  /** The last lines of the server's log, for a failure report. */
  logTail(lines?: number): string;
  /** Stops the server (if running) and deletes the folder. Safe to call more than once. */
  destroy(): void;
}

/** The newest installed server's bin folder that has pg_ctl, or PG_BIN. */
export function findServerBinaries(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions[0])
    throw new Error(
      'No PostgreSQL server binaries found under /usr/lib/postgresql (install postgresql, or set PG_BIN).',
    );
  return join(root, versions[0], 'bin');
}

export async function createPrivateCluster(): Promise<PrivateCluster> {
  const bin = findServerBinaries();
  const folder = mkdtempSync(join(tmpdir(), 'ipt-pg-cluster-'));
  const data = join(folder, 'data');
  const logFile = join(folder, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = postgresIds();
    chownSync(folder, ids.uid, ids.gid);
  }
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const failed = (tool: string, args: string[], status: number | null, output: string) =>
    new Error(`${tool} ${args.join(' ')} failed (${status}):\n${output}`);
  const run = (tool: string, args: string[]) => {
    const [file, argv] = command(tool, args);
    const result = spawnSync(file, argv, { encoding: 'utf8', cwd: folder });
    if (result.status !== 0) throw failed(tool, args, result.status, result.stdout + result.stderr);
  };
  const runAsync = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, argv] = command(tool, args);
      const child = spawn(file, argv, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('error', reject);
      child.once('close', (status) => (status === 0 ? resolve() : reject(failed(tool, args, status, output))));
    });
  const port = await freePort();
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=on`;
  let running = false;
  let destroyed = false;
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    run('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '30', '-o', options]);
    running = true;
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restart(mode) {
      return runAsync('pg_ctl', ['restart', '-D', data, '-m', mode, '-l', logFile, '-w', '-t', '30', '-o', options]);
    },
    logTail(lines = 30) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no server log)';
      }
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        if (running) run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

function postgresIds(): { uid: number; gid: number } {
  const result = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error('Running as root needs a `postgres` user to run the server as.');
  return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()) };
}
