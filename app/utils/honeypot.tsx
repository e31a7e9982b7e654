/**
 * A honeypot for public forms: a field people never see (CSS moves it off
 * screen, aria-hidden hides it from screen readers, tabIndex -1 from the
 * keyboard) but form-filling bots do. A filled honeypot means "not a person".
 */
export const HONEYPOT_FIELD = "website";

export function HoneypotField({ label = "Website" }: { label?: string }) {
  return (
    <div className="honeypot" aria-hidden="true">
      <label htmlFor={`hp-${HONEYPOT_FIELD}`}>{label}</label>
      <input
        id={`hp-${HONEYPOT_FIELD}`}
        type="text"
        name={HONEYPOT_FIELD}
        tabIndex={-1}
        autoComplete="off"
        defaultValue=""
      />
    </div>
  );
}

/** True when a bot filled the honeypot: the action must refuse and change nothing. */
export function isHoneypotFilled(form: FormData): boolean {
  const value = form.get(HONEYPOT_FIELD);
  return typeof value === "string" ? value.length > 0 : value !== null;
}
