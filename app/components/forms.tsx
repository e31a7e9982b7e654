/**
 * Form parts shared by every form: labelled inputs, selects, text areas and
 * checkboxes with their hint and error wired up for screen readers, and the
 * form-level error banner.
 */
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

type Described = { name: string; label: ReactNode; hint?: ReactNode; error?: string; id?: string };

function describe({ name, hint, error, id = `f-${name}` }: Described) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return {
    id,
    hintId,
    errorId,
    aria: {
      "aria-invalid": error ? true : undefined,
      "aria-describedby": [errorId, hintId].filter(Boolean).join(" ") || undefined,
    },
  };
}

function HintAndError({
  hint,
  error,
  hintId,
  errorId,
}: {
  hint?: ReactNode;
  error?: string;
  hintId?: string;
  errorId?: string;
}) {
  return (
    <>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & Described;

export function Field({ name, label, hint, error, id: idProp, ...input }: FieldProps) {
  const { id, hintId, errorId, aria } = describe({ name, label, hint, error, id: idProp });
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} {...aria} {...input} />
      <HintAndError hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export function TextareaField({
  name,
  label,
  hint,
  error,
  id: idProp,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & Described) {
  const { id, hintId, errorId, aria } = describe({ name, label, hint, error, id: idProp });
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} {...aria} {...textarea} />
      <HintAndError hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  hint,
  error,
  id: idProp,
  options,
  placeholder,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> &
  Described & { options: { value: string; label: string }[]; placeholder?: string }) {
  const { id, hintId, errorId, aria } = describe({ name, label, hint, error, id: idProp });
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} {...aria} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <HintAndError hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export function CheckboxField({
  name,
  label,
  hint,
  error,
  id: idProp,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & Described) {
  const { id, hintId, errorId, aria } = describe({ name, label, hint, error, id: idProp });
  return (
    <div className="field">
      <label className="choice" htmlFor={id}>
        <input type="checkbox" id={id} name={name} {...aria} {...input} />
        <span>{label}</span>
      </label>
      <HintAndError hint={hint} error={error} hintId={hintId} errorId={errorId} />
    </div>
  );
}

/** The mobile-number input every auth form starts with: phone keypad, autofill. */
export function PhoneField(props: Omit<FieldProps, "name" | "type">) {
  return <Field name="phone" type="tel" inputMode="tel" autoComplete="tel" required {...props} />;
}

/** The field the SMS code is typed in: digits, filled in by the phone from the SMS where it can. */
export function CodeField({ label, hint, error }: { label: string; hint: string; error?: string }) {
  return (
    <Field
      name="code"
      label={label}
      hint={hint}
      error={error}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={7}
      required
    />
  );
}

/** A message about the whole form (rate limit, generic login failure); announced when it appears. */
export function FormError({ message, id = "form-error" }: { message?: string; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="form-error" role="alert">
      {message}
    </p>
  );
}
