/** Labelled form controls with their hint and error tied in through aria-describedby. */
import type { Child } from 'hono/jsx';
import { fieldErrorId, fieldId } from '../ids.ts';

interface FieldBase {
  /** The form's name: makes ids unique per page. */
  form: string;
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
}

function describedBy(form: string, name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${fieldId(form, name)}-hint` : null, error ? fieldErrorId(form, name) : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldShell(props: FieldBase & { children: Child }) {
  const { form, name, label, hint, error } = props;
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={fieldId(form, name)}>{label}</label>
      {hint ? (
        <p class="field-hint" id={`${fieldId(form, name)}-hint`}>
          {hint}
        </p>
      ) : null}
      {props.children}
      {error ? (
        <p class="field-error" id={fieldErrorId(form, name)}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export interface InputFieldProps extends FieldBase {
  type?: 'text' | 'email' | 'date' | 'time' | 'url' | 'password';
  value?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
  autofocus?: boolean;
  min?: string;
  step?: number;
}

export function InputField(props: InputFieldProps) {
  const { form, name, hint, error } = props;
  return (
    <FieldShell {...props}>
      <input
        id={fieldId(form, name)}
        name={name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        autocomplete={props.autocomplete}
        maxlength={props.maxlength}
        autofocus={props.autofocus}
        min={props.min}
        step={props.step}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(form, name, hint, error)}
      />
    </FieldShell>
  );
}

export function TextAreaField(props: FieldBase & { value?: string | undefined; maxlength?: number; rows?: number }) {
  const { form, name, hint, error } = props;
  return (
    <FieldShell {...props}>
      <textarea
        id={fieldId(form, name)}
        name={name}
        rows={props.rows ?? 3}
        maxlength={props.maxlength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(form, name, hint, error)}
      >
        {props.value ?? ''}
      </textarea>
    </FieldShell>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export function SelectField(props: FieldBase & { options: readonly SelectOption[]; value?: string | undefined }) {
  const { form, name, hint, error } = props;
  return (
    <FieldShell {...props}>
      <select
        id={fieldId(form, name)}
        name={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(form, name, hint, error)}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A message for the whole form, read out when it appears. */
export function FormError(props: { message?: string | undefined }) {
  return props.message ? (
    <p class="form-error" role="alert">
      {props.message}
    </p>
  ) : null;
}
