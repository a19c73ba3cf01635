/**
 * Two live viewers of one schedule on an app process: its host (dashboard socket) and a visitor
 * (scheduling page socket), and what fault tests ask of them: did both see this booking, counting
 * from a mark taken before the fault.
 */
import { textOf } from './http.ts';
import { WAIT_MS } from './patience.ts';
import type { Remote, RemoteSchedule } from './remote.ts';
import { connectLive, type LiveClient } from './server.ts';
import { paths } from '../../views/paths.ts';

export interface ScheduleViewers {
  host: LiveClient;
  visitor: LiveClient;
  /** Where each viewer's next message will be: take it before the fault. */
  mark(): [number, number];
  /** Resolves once the host sees the booking by name and the visitor sees the slot booked. */
  see(slotId: string, name: string, from: [number, number], timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function watchSchedule(app: Remote, schedule: RemoteSchedule): Promise<ScheduleViewers> {
  const ws = app.url.replace('http', 'ws');
  const host = await connectLive(`${ws}${paths.adminLive(schedule.adminKey)}`, { origin: app.origin });
  const visitor = await connectLive(`${ws}${paths.scheduleLive(schedule.publicId)}`, { origin: app.origin });
  await Promise.all([host, visitor].map((s) => s.waitFor((m) => m.includes('id="slot-list"'))));
  return {
    host,
    visitor,
    mark: () => [host.mark(), visitor.mark()],
    async see(slotId, name, from, timeoutMs = WAIT_MS) {
      await host.waitFor((m) => textOf(m).includes(`Booked by ${name}`), { from: from[0], timeoutMs });
      await visitor.waitFor((m) => m.includes(`id="slot-${slotId}"`) && /Booked/.test(textOf(m)), {
        from: from[1],
        timeoutMs,
      });
    },
    close() {
      host.close();
      visitor.close();
    },
  };
}
