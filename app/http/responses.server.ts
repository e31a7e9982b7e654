/**
 * The one path from a Refusal to what the user sees:
 * - `refusalResponse`: a plain page in the reader's language (or JSON for a
 *   script that asked for it), with the refusal's status and headers. The
 *   HTTP layer answers with it before Remix; a loader or action throws it
 *   (Remix then shows the error page for that status).
 * - `answerRefusal`: the form again, with the message above it, the refused
 *   fields' messages next to them and what was typed kept. It answers every
 *   RefusalError (the domain's and this layer's) and throws anything else on.
 */
import { data } from "@remix-run/node";
import type { TFunction } from "i18next";
import { getLocale, getT } from "~/i18n/index.server";
import { translateErrors, type FormErrors, type FormValues } from "~/utils/forms";
import { isRefusal, REFUSAL_CODE_HEADER, REFUSAL_MESSAGE_HEADER, type RefusalError } from "~/utils/refusal";

/** The refusal's explanation in the reader's language (a Refusal's: `common:errors.<kind>`). */
export function refusalText(t: TFunction, refusal: RefusalError) {
  return { title: t(refusal.titleKey), body: t(refusal.textKey, refusal.messageValues) };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * A refusal as a page of its own (or JSON), with its status and headers; like
 * `answerRefusal`, it names itself in X-Refusal and X-Refusal-Message for a
 * script that replays forms without reading pages (the seller app's queue).
 */
export async function refusalResponse(request: Request, refusal: RefusalError, init: { close?: boolean } = {}) {
  const [lng, t] = await Promise.all([getLocale(request), getT(request, ["common", refusal.namespace])]);
  const { title, body } = refusalText(t, refusal);
  const headers = new Headers(refusal.headers);
  headers.set("Cache-Control", "no-store");
  nameRefusal(headers, refusal, body);
  // The rest of an unread body is not worth reading: the connection ends with this answer.
  if (init.close) headers.set("Connection", "close");
  if ((request.headers.get("Accept") ?? "").includes("application/json")) {
    headers.set("Content-Type", "application/json; charset=utf-8");
    return new Response(JSON.stringify({ ok: false, error: `${title}. ${body}` }), {
      status: refusal.httpStatus,
      headers,
    });
  }
  headers.set("Content-Type", "text/html; charset=utf-8");
  const page = `<!doctype html>
<html lang="${escapeHtml(lng)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Gian Hàng Số</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(body)}</p>
<p><a href="/">${escapeHtml(t("common:errors.backHome"))}</a></p>
</main>
</body>
</html>
`;
  return new Response(page, { status: refusal.httpStatus, headers });
}

export type { FormErrors };

function nameRefusal(headers: Headers, refusal: RefusalError, message: string) {
  headers.set(REFUSAL_CODE_HEADER, `${refusal.namespace}:${refusal.code}`);
  headers.set(REFUSAL_MESSAGE_HEADER, encodeURIComponent(message));
}

/**
 * A refusal's message in the reader's language, for answers that are not a
 * form (a resource route's JSON, a toast). Anything that is not a refusal is
 * thrown on.
 */
export function refusalMessage(t: TFunction, error: unknown): string {
  if (!isRefusal(error)) throw error;
  return t(error.textKey, error.messageValues);
}

/**
 * A refused form's answer: its status, `errors.form` (the refusal's message),
 * the refused fields' messages and what was typed (never a password). Anything
 * that is not a refusal is thrown on, so `catch (error) { return answerRefusal(t, error, values) }`
 * is the whole of a route's error handling.
 *
 * A refusal of some fields only (`concernsForm` false) leaves `errors.form`
 * unset. `extra` adds what else the page shows with the form (the items a
 * checkout refused, which form of several was refused); it may be a function
 * of the translated errors. Options: `uploadError` names the member of the
 * answer that shows a refused file's message at the file input; `headers` are
 * the route's own (no-store, a cookie set on the way), sent with the refusal's.
 */
export function answerRefusal<
  Values extends object = FormValues,
  Extra extends Record<string, unknown> = Record<never, never>,
>(
  t: TFunction,
  error: unknown,
  values: Values = {} as Values,
  extra?: Extra | ((errors: FormErrors) => Extra),
  { uploadError, headers: own }: { uploadError?: string; headers?: HeadersInit } = {},
) {
  const message = refusalMessage(t, error);
  const refusal = error as RefusalError;
  const errors: FormErrors = translateErrors(t, refusal.fields, refusal.namespace);
  const atUpload = uploadError !== undefined && refusal.aboutUpload;
  if (refusal.concernsForm && !atUpload) errors.form = message;
  const more = typeof extra === "function" ? extra(errors) : extra;
  const body = { errors, values, ...more, ...(atUpload ? { [uploadError]: message } : {}) };
  const headers = new Headers(own);
  for (const [name, value] of Object.entries(refusal.headers)) headers.set(name, value);
  nameRefusal(headers, refusal, message);
  return data(body as { errors: FormErrors; values: Values } & Extra, {
    status: refusal.httpStatus,
    headers,
  });
}
