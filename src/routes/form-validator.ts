/**
 * Form parsing for handlers: @hono/zod-validator with our refusal shape. A refused form calls
 * `onInvalid` with messages by field and the values as submitted, to render the form again (422).
 */
import { zValidator } from '@hono/zod-validator';
import type { Context } from 'hono';
import type { z } from 'zod';
import { fieldErrors, type FieldErrors, submittedValues } from '../domain/forms.ts';

export interface Refusal {
  errors: FieldErrors;
  values: Record<string, string>;
}

export function formValidator<T extends z.ZodType>(
  schema: T,
  // The hook's context is untyped in @hono/zod-validator; callers pass it on to typed helpers.
  // biome-ignore lint: any is the library's own type here
  onInvalid: (c: Context<any>, refusal: Refusal) => Response | Promise<Response>,
) {
  return zValidator('form', schema, (result, c) => {
    if (!result.success) return onInvalid(c, { errors: fieldErrors(result.error), values: submittedValues(result.data) });
  });
}
