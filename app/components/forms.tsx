/**
 * Form parts of the auth pages: a labelled input with its hint and error
 * wired up for screen readers, and the form-level error banner.
 */
import type { InputHTMLAttributes, ReactNode } from "react";

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
};

export function Field({ name, label, hint, error, id = `f-${name}`, ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
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
    </div>
  );
}

/** The mobile-number input every auth form starts with: phone keypad, autofill. */
export function PhoneField(props: Omit<FieldProps, "name" | "type">) {
  return <Field name="phone" type="tel" inputMode="tel" autoComplete="tel" required {...props} />;
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
