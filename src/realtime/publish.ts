/**
 * Turning a committed invite change into bus events: each person involved is told on their own
 * topic, and the grid of the invite's date on its topic. One event per topic, ids only.
 */
import type { Invite } from '../domain/invites.ts';
import { hourBlocksOverlapping } from '../domain/time.ts';
import type { Live } from './live.ts';
import { accountEvents, gridTopic, userTopic } from './topics.ts';

export async function publishInviteChanges(
  live: Pick<Live, 'publish'>,
  changed: readonly Invite[],
  siteZone: string,
): Promise<void> {
  const users = new Map<string, Set<string>>();
  const grids = new Map<string, Set<string>>();
  for (const invite of changed) {
    for (const person of [invite.inviter.id, invite.invitee?.id]) {
      if (person) users.set(person, (users.get(person) ?? new Set()).add(invite.id));
    }
    // Every site-zone cell the hold overlaps (one, or two for a room whose hours start at :30).
    for (const block of hourBlocksOverlapping(invite.startsAt, invite.endsAt, siteZone))
      grids.set(block.date, (grids.get(block.date) ?? new Set()).add(`${invite.room.id}@${block.hour}`));
  }
  const events: Promise<void>[] = [];
  for (const [userId, ids] of users)
    events.push(live.publish(userTopic(userId), accountEvents.invitesChanged([...ids])));
  for (const [date, cells] of grids) events.push(live.publish(gridTopic(date), accountEvents.cellsChanged([...cells])));
  await Promise.all(events);
}
