/**
 * Weekly availability on the dashboard: one form previews or creates many slots. Parse, plan (pure),
 * one domain call that the database decides (the same statement for both, a preview rolled back),
 * render; after a create, publish the slots made.
 */
import type { Context, Hono } from 'hono';
import type { AppDeps } from '../app-env.ts';
import { submittedValues } from '../domain/forms.ts';
import { planRepeatingFromForm, RepeatForm } from '../domain/repeat-rules.ts';
import { addSlotBatch } from '../domain/slot-batches.ts';
import { listSlotsForSchedule } from '../domain/slots.ts';
import { scheduleEvents, scheduleTopic } from '../realtime/topics.ts';
import { AdminPage } from '../../views/admin.tsx';
import { AvailabilitySection, type AvailabilityState } from '../../views/availability-form.tsx';
import { paths } from '../../views/paths.ts';
import type { AdminEnv } from './factory.ts';
import { formValidator } from './form-validator.ts';
import { isHtmx, sendFragment, sendPage } from './respond.tsx';

export function addAvailabilityRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const { db, live, config } = deps;

  /** The section alone for htmx, the dashboard around it otherwise. */
  async function answer(c: Context<AdminEnv>, status: 200 | 422, state: AvailabilityState) {
    const schedule = c.get('schedule');
    const adminKey = c.get('adminKey');
    const now = deps.now();
    if (isHtmx(c)) {
      return sendFragment(
        c,
        <AvailabilitySection
          adminKey={adminKey}
          zone={schedule.timeZone}
          locale={c.get('locale')}
          now={now}
          state={state}
        />,
        status,
      );
    }
    const view = {
      schedule,
      adminKey,
      slots: await listSlotsForSchedule(db, schedule.id),
      now,
      locale: c.get('locale'),
    };
    const shareUrl = `${c.get('origin')}${paths.schedule(schedule.publicId)}`;
    return sendPage(c, <AdminPage view={view} shareUrl={shareUrl} availability={state} />, status);
  }

  app.post(
    '/:adminKey/availability',
    formValidator(RepeatForm, (c: Context<AdminEnv>, refusal) => {
      const planned = planRepeatingFromForm(refusal.values, c.get('schedule').timeZone, deps.now());
      const errors = planned.ok ? refusal.errors : { ...planned.errors, ...refusal.errors };
      return answer(c, 422, { values: refusal.values, errors });
    }),
    async (c) => {
      const schedule = c.get('schedule');
      const form = c.req.valid('form');
      const values = submittedValues(await c.req.parseBody({ all: true }));
      const planned = planRepeatingFromForm(form, schedule.timeZone, deps.now());
      if (!planned.ok) return answer(c, 422, { values, errors: planned.errors });
      const create = form.intent === 'create';
      const batch = await addSlotBatch(db, schedule.id, planned.plan.slots, {
        maxSlots: config.maxSlotsPerSchedule,
        preview: !create,
      });
      if (create && batch.made.length > 0) {
        await live.publish(scheduleTopic(schedule.id), scheduleEvents.slotsAdded(batch.made.map((s) => s.id)));
      }
      return answer(c, 200, {
        values,
        outcome: { mode: create ? 'created' : 'preview', plan: planned.plan, batch },
      });
    },
  );
}
