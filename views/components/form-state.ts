/** What every form shows: the values to fill back in, the messages next to fields, a saved status. */
import type { FieldErrors } from '../../src/domain/forms.ts';

export interface FormState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  /** A success message shown (and read out) above the form. */
  status?: string;
}
