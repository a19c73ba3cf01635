/**
 * The time zone picker. Its options are the same for every page, so their HTML is built once per
 * selected zone and reused (420 options would otherwise be rebuilt on every render).
 */
import { raw } from 'hono/html';
import { canonicalZone, listPickableZones } from '../../src/domain/time.ts';
import { fieldErrorId, fieldId } from '../ids.ts';
import { paths } from '../paths.ts';
import { renderHtml } from '../render.ts';

const optionCache = new Map<string, string>();

function zoneOptions(selected: string | undefined): string {
  const key = selected ?? '';
  let html = optionCache.get(key);
  if (html === undefined) {
    const zones = listPickableZones();
    const list = selected && !zones.includes(selected) ? [selected, ...zones] : zones;
    html = renderHtml(
      // biome-ignore lint/complexity/noUselessFragments: one node to render; an array would render joined by commas
      <>
        {list.map((zone) => (
          <option value={zone} selected={zone === selected}>
            {zone.replaceAll('_', ' ')}
          </option>
        ))}
      </>,
    );
    // Only real zone ids are remembered: a refused form echoing whatever was sent (any length, any
    // number of distinct values) must not grow the cache.
    if (!selected || canonicalZone(selected) === selected) {
      if (optionCache.size > 500) optionCache.clear();
      optionCache.set(key, html);
    }
  }
  return html;
}

export interface ZoneFieldProps {
  form: string;
  name?: string;
  label?: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
  /** An option with no zone, first ("Site zone (UTC)"): choosing it sends an empty value. */
  emptyOption?: string;
  /**
   * The page was rendered before the browser's zone was known (first visit): the field reloads itself
   * once the small script has stored the zone in the `tz` cookie.
   */
  pending?: boolean;
}

export function ZoneField(props: ZoneFieldProps) {
  const name = props.name ?? 'timeZone';
  const id = fieldId(props.form, name);
  const hintId = `${id}-hint`;
  const describedBy = [props.hint ? hintId : null, props.error ? fieldErrorId(props.form, name) : null]
    .filter(Boolean)
    .join(' ');
  const reload = props.pending
    ? {
        'hx-get': `${paths.zoneField()}?form=${encodeURIComponent(props.form)}&name=${encodeURIComponent(name)}`,
        'hx-trigger': 'load',
        'hx-swap': 'outerHTML',
      }
    : {};
  return (
    <div class={props.error ? 'field field--error' : 'field'} id={`${id}-field`} {...reload}>
      <label for={id}>{props.label ?? 'Time zone'}</label>
      {props.hint ? (
        <p class="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <select
        id={id}
        name={name}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      >
        {props.emptyOption ? (
          <option value="" selected={!props.value}>
            {props.emptyOption}
          </option>
        ) : null}
        {raw(zoneOptions(props.value || undefined))}
      </select>
      {props.error ? (
        <p class="field-error" id={fieldErrorId(props.form, name)}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
