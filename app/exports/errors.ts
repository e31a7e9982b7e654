/**
 * Refusals of app/exports: what a use case of this capability says no with.
 * Messages are keys of the "exports" namespace (`errors.<code>`); a refused
 * field's key sits in `fields` (the admin's category mapping names each field
 * by our category's code). Browser-safe.
 */
import { RefusalError } from "~/utils/refusal";
import type { FieldErrors } from "~/utils/forms";

export type ExportErrorCode =
  /** A value the form or the caller sent is not one we keep (a category id with letters, an unknown target). */
  "invalid_input";

export class ExportError extends RefusalError<ExportErrorCode> {
  override name = "ExportError";
  readonly namespace = "exports";

  constructor(code: ExportErrorCode, details: { fields?: FieldErrors } = {}) {
    super(code, { fields: details.fields });
  }

  get messageKey(): string {
    return `errors.${this.code}`;
  }
}
