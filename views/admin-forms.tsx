/** The host dashboard's two forms: adding slots (one or split into several) and the settings. */
import type { FormState } from './components/form-state.ts';
import { NOTES_MAX } from '../src/domain/slot-rules.ts';
import { zoneLabel } from '../src/domain/time.ts';
import type { HostView } from './admin.tsx';
import { FormError, InputField, SelectField, TextAreaField } from './components/field.tsx';
import { ZoneField } from './components/zone-field.tsx';
import { ids } from './ids.ts';
import { paths } from './paths.ts';

const SPLIT_OPTIONS = [
  { value: '0', label: 'Keep as one slot' },
  { value: '15', label: '15-minute slots' },
  { value: '30', label: '30-minute slots' },
  { value: '45', label: '45-minute slots' },
  { value: '60', label: '60-minute slots' },
];

/**
 * `focus`: the answer to this form's own request (the button was disabled while it ran, which
 * takes focus from it): focus goes back to the button.
 */
export function AddSlotSection(props: { view: HostView; state: FormState; oob?: boolean; focus?: boolean }) {
  const { view, state } = props;
  const { values = {}, errors = {} } = state;
  const action = paths.adminSlots(view.adminKey);
  return (
    <section
      id={ids.addSlot}
      class="card"
      aria-labelledby="add-slot-heading"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <h2 id="add-slot-heading">Add a slot</h2>
      <p class="field-hint">Times are in {zoneLabel(view.schedule.timeZone)}. A slot cannot run past midnight.</p>
      {state.status ? (
        <p class="form-status" role="status">
          {state.status}
        </p>
      ) : null}
      <FormError message={errors.form} />
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target={`#${ids.addSlot}`}
        hx-swap="outerHTML"
        hx-disabled-elt="find button"
        class="grid-form"
      >
        <InputField form="slot" name="date" label="Date" type="date" value={values.date} error={errors.date} required />
        <InputField
          form="slot"
          name="start"
          label="Start time"
          type="time"
          value={values.start}
          error={errors.start}
          required
        />
        <InputField
          form="slot"
          name="end"
          label="End time"
          type="time"
          value={values.end}
          error={errors.end}
          required
        />
        <SelectField
          form="slot"
          name="split"
          label="Split into"
          options={SPLIT_OPTIONS}
          value={values.split ?? '0'}
          error={errors.split}
        />
        <TextAreaField
          form="slot"
          name="notes"
          label="Notes"
          hint="Shown to visitors, for example where you meet."
          value={values.notes}
          error={errors.notes}
          maxlength={NOTES_MAX}
        />
        <div class="actions">
          <button type="submit" id={ids.addSlotSubmit} class="button" autofocus={props.focus ? true : undefined}>
            Add slot
          </button>
          <span class="htmx-indicator" aria-hidden="true">
            Adding…
          </span>
        </div>
      </form>
    </section>
  );
}

export function SettingsSection(props: { view: HostView; state: FormState; focus?: boolean }) {
  const { view, state } = props;
  const { errors = {} } = state;
  const values = state.values ?? {
    title: view.schedule.title,
    hostName: view.schedule.hostName,
    timeZone: view.schedule.timeZone,
  };
  const action = paths.adminSettings(view.adminKey);
  return (
    <section id={ids.settings} class="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Schedule settings</h2>
      {state.status ? (
        <p class="form-status" role="status">
          {state.status}
        </p>
      ) : null}
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target={`#${ids.settings}`}
        hx-swap="outerHTML"
        hx-disabled-elt="find button"
      >
        <InputField
          form="settings"
          name="title"
          label="Title"
          value={values.title}
          error={errors.title}
          maxlength={120}
        />
        <InputField
          form="settings"
          name="hostName"
          label="Your name"
          value={values.hostName}
          error={errors.hostName}
          maxlength={80}
          autocomplete="name"
        />
        <ZoneField
          form="settings"
          value={values.timeZone}
          error={errors.timeZone}
          hint="Changing it keeps every slot at the same moment; only how times read on this dashboard changes."
        />
        <div class="actions">
          <button type="submit" id={ids.settingsSubmit} class="button" autofocus={props.focus ? true : undefined}>
            Save settings
          </button>
        </div>
      </form>
    </section>
  );
}
