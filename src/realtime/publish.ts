/**
 * Turning a committed invite change into bus events: each person involved is told on their own
 * topic, and the grids on the topic of each UTC date the hold touches. One event per topic, ids
 * and instants only.
 */
import type { Invite } from '../domain/invites.ts';
import { datesCovering } from '../domain/time.ts';
import type { Live } from './live.ts';
import { accountEvents, cellChangeKey, gridTopic, userTopic } from './topics.ts';

export async function publishInviteChanges(live: Pick<Live, 'publish'>, changed: readonly Invite[]): Promise<void> {
  const users = new Map<string, Set<string>>();
  const grids = new Map<string, Set<string>>();
  for (const invite of changed) {
    for (const person of [invite.inviter.id, invite.invitee?.id]) {
      if (person) users.set(person, (users.get(person) ?? new Set()).add(invite.id));
    }
    // Grids anywhere show it: each reads its own cells from the room and the period.
    for (const date of datesCovering(invite.startsAt, invite.endsAt, 'UTC'))
      grids.set(date, (grids.get(date) ?? new Set()).add(cellChangeKey(invite.room.id, invite)));
  }
  const events: Promise<void>[] = [];
  for (const [userId, ids] of users)
    events.push(live.publish(userTopic(userId), accountEvents.invitesChanged([...ids])));
  for (const [date, cells] of grids) events.push(live.publish(gridTopic(date), accountEvents.cellsChanged([...cells])));
  await Promise.all(events);
}
