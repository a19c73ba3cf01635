/**
 * Form parsing for handlers: @hono/zod-validator with our refusal shape. A refused form calls
 * `onInvalid` with messages by field and the values as submitted, to render the form again (422).
 */
import { type Hook, zValidator } from '@hono/zod-validator';
import type { Context, Env } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { z } from 'zod';
import { fieldErrors, type FieldErrors, submittedValues } from '../domain/forms.ts';

export interface Refusal {
  errors: FieldErrors;
  values: Record<string, string>;
}

/** `E` is the router's Env (AppEnv unless the refusal hook names another), so the hook's `c` is typed. */
export function formValidator<T extends z.ZodType, E extends Env = AppEnv>(
  schema: T,
  onInvalid: (c: Context<E>, refusal: Refusal) => Response | Promise<Response>,
) {
  const hook: Hook<z.infer<T>, E, string, 'form'> = (result, c) => {
    if (!result.success)
      return onInvalid(c, { errors: fieldErrors(result.error), values: submittedValues(result.data) });
  };
  return zValidator<T, 'form', E, string, typeof hook>('form', schema, hook);
}

/**
 * The form as typed (not as the schema cleaned it), for a refusal after the schema passed: a rule
 * that needs the clock or the database. The body was parsed once already; this reads Hono's cache.
 */
export async function submittedForm<E extends Env>(c: Context<E>): Promise<Record<string, string>> {
  return submittedValues(await c.req.parseBody());
}
