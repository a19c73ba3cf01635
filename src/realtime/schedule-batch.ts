/**
 * What changed on a schedule since its last push: the events that arrived while a push was being
 * prepared, merged into one. Under a rush, two hundred bookings become one read and one render per
 * view; nothing is lost, because each push reads the current state of what the batch names.
 */
import type { LiveEvent } from './bus.ts';

export interface ScheduleBatch {
  /** Slots whose booking changed (claimed, released, moved). */
  booked: Set<string>;
  /** Slots added. */
  added: Set<string>;
  /** Slots deleted, with the instant each started (epoch ms). */
  deleted: Map<string, number>;
  /** Every list must be sent whole (an event that names nothing, or one of a kind not known here). */
  lists: boolean;
  /** Title, host name or zone changed. */
  schedule: boolean;
  /** The admin key was replaced. */
  adminKeyReplaced: boolean;
}

export const emptyBatch = (): ScheduleBatch => ({
  booked: new Set(),
  added: new Set(),
  deleted: new Map(),
  lists: false,
  schedule: false,
  adminKeyReplaced: false,
});

/** Adds an event to a batch, in arrival order. */
export function mergeEvent(batch: ScheduleBatch, event: LiveEvent): ScheduleBatch {
  const ids = event.ids ?? [];
  switch (event.type) {
    case 'slots-booked':
      for (const id of ids) batch.booked.add(id);
      break;
    case 'slots-added':
      for (const id of ids) batch.added.add(id);
      break;
    case 'slots-deleted':
      ids.forEach((id, i) => {
        batch.booked.delete(id);
        // Added and deleted before any viewer was told: nobody has it, nobody needs to hear of it.
        if (batch.added.delete(id)) return;
        const at = event.at?.[i];
        if (typeof at === 'number' && Number.isFinite(at)) batch.deleted.set(id, at);
        else batch.lists = true;
      });
      break;
    case 'schedule-changed':
      batch.schedule = true;
      break;
    case 'admin-key-replaced':
      batch.adminKeyReplaced = true;
      break;
    default:
      batch.lists = true;
  }
  return batch;
}
