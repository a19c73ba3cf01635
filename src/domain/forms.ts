/** Shared pieces of the form schemas: what a person typed, cleaned, with human messages. */
import { z } from 'zod';
import { canonicalZone } from './time.ts';
import { characterCount, cleanLine, cleanText } from './text.ts';

/** Messages by field name, shown next to the fields. "form" holds what belongs to no one field. */
export type FieldErrors = Record<string, string>;

/** The first message for each field of a failed parse. */
export function fieldErrors(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** What the person submitted, as strings, to put back into the form when it is refused. */
export function submittedValues(raw: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value === 'string') values[key] = value.slice(0, 10_000);
      // A field sent more than once (checkboxes): its values, comma-separated.
      else if (Array.isArray(value))
        values[key] = value
          .filter((v): v is string => typeof v === 'string')
          .join(',')
          .slice(0, 10_000);
    }
  }
  return values;
}

const text = (message: string) => z.string({ error: message }).optional().default('');

/** A one-line field: optional, cleaned, at most `max` characters. */
export function lineField(label: string, max: number) {
  return text(`${label} must be text.`)
    .transform(cleanLine)
    .refine((v) => characterCount(v) <= max, `${label} can be at most ${max} characters.`);
}

/** A required one-line field. */
export function requiredLineField(label: string, max: number, missing: string) {
  return lineField(label, max).refine((v) => v.length > 0, missing);
}

/** A multi-line field: optional, cleaned, at most `max` characters. */
export function textField(label: string, max: number) {
  return text(`${label} must be text.`)
    .transform(cleanText)
    .superRefine((v, ctx) => {
      const count = characterCount(v);
      if (count > max)
        ctx.addIssue({ code: 'custom', message: `${label} can be at most ${max} characters (this has ${count}).` });
    });
}

/** An optional email address: empty, or something that looks deliverable. */
export function emailField() {
  return text('Email must be text.')
    .transform(cleanLine)
    .refine((v) => v === '' || (v.length <= 254 && /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(v)), {
      message: 'Enter an email address like name@example.com, or leave it empty.',
    });
}

/** An IANA time zone id, legacy ids mapped to current ones. */
export function zoneField() {
  return text('Choose a time zone.').transform((value, ctx) => checkZone(value, ctx));
}

/** A time zone id, or nothing (an empty or absent field: null, meaning the site's zone). */
export function optionalZoneField() {
  return text('Choose a time zone.')
    .optional()
    .transform((value, ctx) => (value === undefined || value.trim() === '' ? null : checkZone(value, ctx)));
}

function checkZone(value: string, ctx: z.RefinementCtx): string {
  const zone = canonicalZone(value);
  if (!zone) {
    ctx.addIssue({
      code: 'custom',
      message: value.trim()
        ? `"${cleanLine(value).slice(0, 64)}" is not a time zone we know. Choose one from the list, such as America/New_York.`
        : 'Choose a time zone, such as America/New_York.',
    });
    return z.NEVER;
  }
  return zone;
}
