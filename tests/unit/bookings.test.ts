/** The claim rules, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the database decides every race. */
import { describe, expect, it } from 'vitest';
import {
  claimSlot,
  findBookingByManageKey,
  findCurrentBooking,
  releaseBooking,
  releaseByManageKey,
} from '../../src/domain/bookings.ts';
import { moveBooking } from '../../src/domain/booking-moves.ts';
import { deleteOpenSlot, findSlot, listSlotsForSchedule } from '../../src/domain/slots.ts';
import { TEST_NOW } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { makeSchedule, makeSlots, visitorHash } from '../helpers/fixtures.ts';

const START = new Date('2027-03-16T15:00:00Z');
const booking = { name: 'Ann', email: 'ann@example.com' };

describe.each(databaseKinds)('bookings on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });

  async function setup(count = 3) {
    const { schedule } = await makeSchedule(database.current.db);
    const slots = await makeSlots(database.current.db, schedule.id, START, count);
    return { schedule, slots };
  }

  it('claims an open slot, once, and returns a manage key stored only as a hash', async () => {
    const { schedule, slots } = await setup();
    const ann = visitorHash();
    const result = await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.slot.booking).toMatchObject({ name: 'Ann', email: 'ann@example.com', visitorHash: ann, sequence: 0 });
    expect(result.manageKey).toMatch(/^[a-z2-7]{32}$/);
    const found = await findBookingByManageKey(database.current.db, result.manageKey);
    expect(found?.slot.id).toBe(slots[0]!.id);
    const again = await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: visitorHash(),
      booking: { name: 'Bo', email: '' },
      now: TEST_NOW,
    });
    expect(again).toMatchObject({ ok: false, reason: 'taken' });
  });

  it('lets 100 simultaneous claims of one slot produce exactly one booking', async () => {
    const { schedule, slots } = await setup(1);
    const attempts = Array.from({ length: 100 }, (_, i) =>
      claimSlot(database.current.db, {
        scheduleId: schedule.id,
        slotId: slots[0]!.id,
        visitorHash: visitorHash(),
        booking: { name: `P${i}`, email: '' },
        now: TEST_NOW,
      }),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'taken')).toHaveLength(99);
    const [slot] = await listSlotsForSchedule(database.current.db, schedule.id);
    const winner = results.find((r) => r.ok);
    expect(slot!.booking?.name).toBe(winner?.ok ? winner.slot.booking?.name : undefined);
  });

  it('refuses a slot that has started, and one that does not exist', async () => {
    const { schedule, slots } = await setup();
    const during = new Date(START.getTime() + 60_000);
    expect(
      await claimSlot(database.current.db, {
        scheduleId: schedule.id,
        slotId: slots[0]!.id,
        visitorHash: visitorHash(),
        booking,
        now: during,
      }),
    ).toMatchObject({ ok: false, reason: 'started' });
    expect(
      await claimSlot(database.current.db, {
        scheduleId: schedule.id,
        slotId: '00000000-0000-4000-8000-000000000000',
        visitorHash: visitorHash(),
        booking,
        now: TEST_NOW,
      }),
    ).toEqual({ ok: false, reason: 'not-found' });
    expect(
      await claimSlot(database.current.db, {
        scheduleId: schedule.id,
        slotId: 'not-a-uuid',
        visitorHash: visitorHash(),
        booking,
        now: TEST_NOW,
      }),
    ).toEqual({ ok: false, reason: 'not-found' });
  });

  it('refuses a slot of another schedule', async () => {
    const { slots } = await setup();
    const { schedule: other } = await makeSchedule(database.current.db, { title: 'Other' });
    expect(
      await claimSlot(database.current.db, {
        scheduleId: other.id,
        slotId: slots[0]!.id,
        visitorHash: visitorHash(),
        booking,
        now: TEST_NOW,
      }),
    ).toEqual({ ok: false, reason: 'not-found' });
  });

  it('gives a visitor one current pick per schedule: a second claim says has-booking', async () => {
    const { schedule, slots } = await setup();
    const ann = visitorHash();
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    const second = await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[1]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    expect(second).toMatchObject({ ok: false, reason: 'has-booking', current: { id: slots[0]!.id } });
    expect((await findSlot(database.current.db, schedule.id, slots[1]!.id))?.booking).toBeNull();
  });

  it('lets a visitor book again once their pick has ended, keeping the old booking for the host', async () => {
    const { schedule, slots } = await setup();
    const ann = visitorHash();
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    const afterFirst = new Date(slots[0]!.endsAt.getTime() + 1000);
    const next = await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[2]!.id,
      visitorHash: ann,
      booking,
      now: afterFirst,
    });
    expect(next.ok).toBe(true);
    const first = await findSlot(database.current.db, schedule.id, slots[0]!.id);
    expect(first?.booking).toMatchObject({ name: 'Ann', visitorHash: null });
  });

  it('moves a booking in one step, keeping its id and manage key and bumping the sequence', async () => {
    const { schedule, slots } = await setup();
    const ann = visitorHash();
    const claimed = await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    if (!claimed.ok) throw new Error('claim failed');
    const moved = await moveBooking(database.current.db, {
      scheduleId: schedule.id,
      toSlotId: slots[2]!.id,
      visitorHash: ann,
      now: TEST_NOW,
    });
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    expect(moved.from.id).toBe(slots[0]!.id);
    expect(moved.slot.booking).toMatchObject({ id: claimed.slot.booking!.id, name: 'Ann', sequence: 1 });
    expect((await findSlot(database.current.db, schedule.id, slots[0]!.id))?.booking).toBeNull();
    expect((await findBookingByManageKey(database.current.db, claimed.manageKey))?.slot.id).toBe(slots[2]!.id);
  });

  it('keeps the old booking when the new slot is lost during a move', async () => {
    const { schedule, slots } = await setup();
    const ann = visitorHash();
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[1]!.id,
      visitorHash: visitorHash(),
      booking: { name: 'Bo', email: '' },
      now: TEST_NOW,
    });
    const moved = await moveBooking(database.current.db, {
      scheduleId: schedule.id,
      toSlotId: slots[1]!.id,
      visitorHash: ann,
      now: TEST_NOW,
    });
    expect(moved).toMatchObject({ ok: false, reason: 'taken' });
    expect((await findSlot(database.current.db, schedule.id, slots[0]!.id))?.booking).toMatchObject({
      name: 'Ann',
      visitorHash: ann,
    });
    expect((await findSlot(database.current.db, schedule.id, slots[1]!.id))?.booking?.name).toBe('Bo');
  });

  it('races two moves to one slot against a claim: one wins, nobody loses what they had', async () => {
    const { schedule, slots } = await setup(4);
    const [ann, bo, cy] = [visitorHash(), visitorHash(), visitorHash()];
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[1]!.id,
      visitorHash: bo,
      booking: { name: 'Bo', email: '' },
      now: TEST_NOW,
    });
    const target = slots[3]!.id;
    const results = await Promise.all([
      moveBooking(database.current.db, { scheduleId: schedule.id, toSlotId: target, visitorHash: ann, now: TEST_NOW }),
      moveBooking(database.current.db, { scheduleId: schedule.id, toSlotId: target, visitorHash: bo, now: TEST_NOW }),
      claimSlot(database.current.db, {
        scheduleId: schedule.id,
        slotId: target,
        visitorHash: cy,
        booking: { name: 'Cy', email: '' },
        now: TEST_NOW,
      }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const all = await listSlotsForSchedule(database.current.db, schedule.id);
    const holders = all
      .filter((s) => s.booking)
      .map((s) => s.booking!.name)
      .sort();
    const winner = results.findIndex((r) => r.ok);
    expect(holders).toEqual(winner === 2 ? ['Ann', 'Bo', 'Cy'] : ['Ann', 'Bo']);
    for (const hash of [ann, bo])
      expect(await findCurrentBooking(database.current.db, schedule.id, hash, TEST_NOW)).not.toBeNull();
  });

  it('refuses to move what is not there', async () => {
    const { schedule, slots } = await setup();
    expect(
      await moveBooking(database.current.db, {
        scheduleId: schedule.id,
        toSlotId: slots[1]!.id,
        visitorHash: visitorHash(),
        now: TEST_NOW,
      }),
    ).toEqual({ ok: false, reason: 'no-booking' });
  });

  it('releases the visitor’s booking so others can book it, and only theirs', async () => {
    const { schedule, slots } = await setup();
    const ann = visitorHash();
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    expect(
      await releaseBooking(database.current.db, { scheduleId: schedule.id, visitorHash: visitorHash(), now: TEST_NOW }),
    ).toEqual({ ok: false, reason: 'no-booking' });
    const released = await releaseBooking(database.current.db, {
      scheduleId: schedule.id,
      visitorHash: ann,
      now: TEST_NOW,
    });
    expect(released).toMatchObject({ ok: true, slot: { id: slots[0]!.id, booking: null } });
    expect(
      await claimSlot(database.current.db, {
        scheduleId: schedule.id,
        slotId: slots[0]!.id,
        visitorHash: visitorHash(),
        booking,
        now: TEST_NOW,
      }),
    ).toMatchObject({ ok: true });
  });

  it('refuses to release a booking that has started', async () => {
    const { schedule, slots } = await setup();
    const ann = visitorHash();
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: ann,
      booking,
      now: TEST_NOW,
    });
    expect(
      await releaseBooking(database.current.db, {
        scheduleId: schedule.id,
        visitorHash: ann,
        now: new Date(START.getTime() + 1),
      }),
    ).toMatchObject({ ok: false, reason: 'started' });
  });

  it('releases through the manage key, after which the key is dead', async () => {
    const { schedule, slots } = await setup();
    const claimed = await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: slots[0]!.id,
      visitorHash: visitorHash(),
      booking,
      now: TEST_NOW,
    });
    if (!claimed.ok) throw new Error('claim failed');
    expect(await releaseByManageKey(database.current.db, claimed.manageKey, TEST_NOW)).toMatchObject({
      ok: true,
      scheduleId: schedule.id,
    });
    expect(await findBookingByManageKey(database.current.db, claimed.manageKey)).toBeNull();
    expect(await releaseByManageKey(database.current.db, claimed.manageKey, TEST_NOW)).toEqual({
      ok: false,
      reason: 'no-booking',
    });
    expect(await releaseByManageKey(database.current.db, 'short', TEST_NOW)).toEqual({
      ok: false,
      reason: 'no-booking',
    });
  });

  it('never deletes a booked slot, even racing a claim', async () => {
    const { schedule, slots } = await setup(1);
    const [claim, del] = await Promise.all([
      claimSlot(database.current.db, {
        scheduleId: schedule.id,
        slotId: slots[0]!.id,
        visitorHash: visitorHash(),
        booking,
        now: TEST_NOW,
      }),
      deleteOpenSlot(database.current.db, schedule.id, slots[0]!.id),
    ]);
    // Exactly one of them happened.
    expect([claim.ok, del.ok].filter(Boolean)).toHaveLength(1);
    const remaining = await listSlotsForSchedule(database.current.db, schedule.id);
    if (claim.ok) expect(remaining[0]?.booking?.name).toBe('Ann');
    else expect(remaining).toHaveLength(0);
    if (claim.ok)
      expect(await deleteOpenSlot(database.current.db, schedule.id, slots[0]!.id)).toMatchObject({
        ok: false,
        reason: 'booked',
      });
  });
});
