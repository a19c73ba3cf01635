/** Adding a room, and a room's page: details, weekly open hours, single hours on a date, archiving. */
import { describeHours, type HourOverride, WEEKDAYS, type WeeklyHours } from '../src/domain/availability.ts';
import type { FieldErrors } from '../src/domain/forms.ts';
import type { Blocker, Room } from '../src/domain/rooms.ts';
import { describeDate, zoneLabel } from '../src/domain/time.ts';
import { FormError, InputField, TextAreaField } from './components/field.tsx';
import type { FormState } from './components/form-state.ts';
import { ZoneField } from './components/zone-field.tsx';
import { type AccountChrome, Layout } from './layout.tsx';
import { paths } from './paths.ts';

/** A room form's state; an hours change the bookings refuse also lists what holds the time. */
export type RoomFormState = FormState & { blockers?: Blocker[] };

const pad = (h: number) => String(h).padStart(2, '0');

function DetailsFields(props: { state: FormState; siteZone: string }) {
  const { values = {}, errors = {} } = props.state;
  return (
    <>
      <InputField
        form="room"
        name="name"
        label="Name"
        value={values.name}
        error={errors.name}
        maxlength={60}
        required
      />
      <TextAreaField
        form="room"
        name="description"
        label="Description (optional)"
        value={values.description}
        error={errors.description}
        maxlength={500}
        rows={2}
        hint="Seats, equipment, where it is."
      />
      <ZoneField
        form="room"
        name="timeZone"
        label="Time zone"
        value={values.timeZone}
        error={errors.timeZone}
        hint="Where the room is: its open hours are this zone's clock hours."
        emptyOption={`Site zone (${props.siteZone})`}
      />
    </>
  );
}

/** Per weekday: open or not, from and to (one range a day; single hours are set on dates). */
function WeeklyFields(props: { weekly: WeeklyHours; errors: FieldErrors; zone: string | null }) {
  return (
    <fieldset class="weekly">
      <legend>Weekly open hours ({props.zone ? zoneLabel(props.zone) : 'in the room’s time zone'})</legend>
      <FormError message={props.errors.weekly} />
      {WEEKDAYS.map(({ day, long }) => {
        const hours = props.weekly.get(day) ?? [];
        const from = hours[0] ?? 9;
        const to = hours.length ? hours[hours.length - 1]! + 1 : 17;
        const error = props.errors[`day${day}`];
        return (
          <div class={error ? 'weekday field--error' : 'weekday'}>
            <label class="weekday-open">
              <input type="checkbox" name={`open${day}`} checked={hours.length > 0} /> Open on {long}
            </label>
            <label>
              from{' '}
              <select name={`from${day}`} aria-label={`${long} opens at`}>
                {Array.from({ length: 24 }, (_, h) => (
                  <option value={String(h)} selected={h === from}>{`${pad(h)}:00`}</option>
                ))}
              </select>
            </label>
            <label>
              to{' '}
              <select name={`to${day}`} aria-label={`${long} closes at`}>
                {Array.from({ length: 24 }, (_, i) => i + 1).map((h) => (
                  <option value={String(h)} selected={h === to}>{`${pad(h % 24)}:00`}</option>
                ))}
              </select>
            </label>
            {hours.length > 0 && describeHours(hours).includes(',') ? (
              <span class="field-hint">now {describeHours(hours)}</span>
            ) : null}
            {error ? <p class="field-error">{error}</p> : null}
          </div>
        );
      })}
    </fieldset>
  );
}

function Blockers(props: { blockers?: Blocker[] }) {
  if (!props.blockers?.length) return null;
  return (
    <div class="form-error" role="alert">
      <p>These still hold that time; cancel or withdraw them first (under Invites):</p>
      <ul>
        {props.blockers.map((b) => (
          <li>
            {b.label}: {b.status === 'accepted' ? 'a meeting' : 'a pending invite'}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function NewRoomPage(props: {
  account: AccountChrome;
  live: string;
  state: FormState;
  weekly: WeeklyHours;
  siteZone: string;
}) {
  const { errors = {} } = props.state;
  return (
    <Layout title="Add a room" account={props.account} live={props.live}>
      <header class="page-head">
        <h1>Add a room</h1>
      </header>
      <section class="card" aria-labelledby="new-room-heading">
        <h2 id="new-room-heading" class="visually-hidden">
          Room details
        </h2>
        <FormError message={errors.form} />
        <form method="post" action={paths.newRoom()}>
          <DetailsFields state={props.state} siteZone={props.siteZone} />
          <WeeklyFields weekly={props.weekly} errors={errors} zone={null} />
          <div class="actions">
            <button type="submit" class="button">
              Add room
            </button>
            <a href={paths.rooms()}>Back to the rooms</a>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export interface RoomPageState {
  details: RoomFormState;
  weekly: RoomFormState;
  overrides: RoomFormState;
  archive: RoomFormState;
}

export function RoomPage(props: {
  account: AccountChrome;
  live: string;
  room: Room;
  weekly: WeeklyHours;
  overrides: readonly HourOverride[];
  siteZone: string;
  today: string;
  state: RoomPageState;
}) {
  const { room, state } = props;
  const status = (s: FormState) =>
    s.status ? (
      <p class="form-status" role="status">
        {s.status}
      </p>
    ) : null;
  return (
    <Layout title={room.name} account={props.account} live={props.live}>
      <header class="page-head">
        <p class="eyebrow">Room</p>
        <h1>{room.name}</h1>
        {room.description ? <p class="page-lede">{room.description}</p> : null}
        <p>
          <a href={paths.rooms()}>Back to the rooms</a>
        </p>
      </header>
      <section class="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        {status(state.details)}
        <FormError message={state.details.errors?.form} />
        <Blockers blockers={state.details.blockers} />
        <form method="post" action={paths.room(room.id)}>
          <DetailsFields
            state={{
              ...state.details,
              values: state.details.values ?? {
                name: room.name,
                description: room.description,
                timeZone: room.timeZone ?? '',
              },
            }}
            siteZone={props.siteZone}
          />
          <div class="actions">
            <button type="submit" class="button">
              Save details
            </button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="hours-heading">
        <h2 id="hours-heading">Open hours</h2>
        {status(state.weekly)}
        <Blockers blockers={state.weekly.blockers} />
        <form method="post" action={paths.roomHours(room.id)}>
          <WeeklyFields
            weekly={props.weekly}
            errors={state.weekly.errors ?? {}}
            zone={room.timeZone ?? props.siteZone}
          />
          <div class="actions">
            <button type="submit" class="button">
              Save weekly hours
            </button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="overrides-heading">
        <h2 id="overrides-heading">Open or close a single hour</h2>
        {status(state.overrides)}
        <Blockers blockers={state.overrides.blockers} />
        <FormError message={state.overrides.errors?.form} />
        <form method="post" action={paths.roomOverrides(room.id)} class="grid-form">
          <InputField
            form="override"
            name="date"
            label="Date"
            type="date"
            min={props.today}
            value={state.overrides.values?.date}
            error={state.overrides.errors?.date}
            required
          />
          <div class="field">
            <label for="override-hour">Hour</label>
            <select id="override-hour" name="hour">
              {Array.from({ length: 24 }, (_, h) => (
                <option
                  value={String(h)}
                  selected={String(h) === (state.overrides.values?.hour ?? '9')}
                >{`${pad(h)}:00–${pad((h + 1) % 24)}:00`}</option>
              ))}
            </select>
          </div>
          <fieldset class="field">
            <legend>This hour on that date is</legend>
            <label>
              <input type="radio" name="open" value="0" checked={state.overrides.values?.open !== '1'} /> Closed
            </label>
            <label>
              <input type="radio" name="open" value="1" checked={state.overrides.values?.open === '1'} /> Open
            </label>
          </fieldset>
          <div class="actions">
            <button type="submit" class="button">
              Set this hour
            </button>
          </div>
        </form>
        {props.overrides.length ? (
          <ul class="override-list" role="list">
            {props.overrides.map((o) => (
              <li>
                {describeDate(o.date).shortDay} {o.date.slice(0, 4)}, {pad(o.hour)}:00–{pad((o.hour + 1) % 24)}:00:{' '}
                {o.isOpen ? 'open' : 'closed'}
                <form method="post" action={paths.roomOverrideRemove(room.id)} class="inline-form">
                  <input type="hidden" name="date" value={o.date} />
                  <input type="hidden" name="hour" value={String(o.hour)} />
                  <button type="submit" class="button button--quiet button--small">
                    Back to weekly hours
                    <span class="visually-hidden">
                      : {o.date} {pad(o.hour)}:00
                    </span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        ) : (
          <p class="field-hint">No single hours set: the weekly hours apply every day.</p>
        )}
      </section>
      <section class="card" aria-labelledby="archive-heading">
        <h2 id="archive-heading">Archive</h2>
        <p>An archived room leaves the grid. Past meetings stay in people’s invites.</p>
        {status(state.archive)}
        <Blockers blockers={state.archive.blockers} />
        <form method="post" action={paths.roomArchive(room.id)}>
          <button type="submit" class="button button--danger">
            Archive {room.name}
          </button>
        </form>
      </section>
    </Layout>
  );
}
