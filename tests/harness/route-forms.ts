/**
 * Calling route loaders and actions directly in integration tests, with real
 * Request objects and the load context server.js would pass.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  createAccountWithProof,
  issueProof,
  type CreateAccountResult,
  type ProofAllows,
} from "~/auth/phone-proof.server";
import { serializeProofCookie } from "~/auth/proof-cookie.server";
import type { Role } from "~/auth/session.server";
import { languageCookie } from "~/i18n/i18n.server";
import { logger } from "~/utils/logger.server";

export const TEST_IP = "203.0.113.5";

export type Outcome<T = unknown> = { status: number; headers: Headers; data: T | null };

type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => unknown;

/** A Response, a thrown Response (redirects, 403) or data() → one shape to assert on. */
async function settle<T>(run: () => unknown): Promise<Outcome<T>> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    if (thrown instanceof Response) result = thrown;
    else throw thrown;
  }
  if (result instanceof Response) return { status: result.status, headers: result.headers, data: null };
  if (result && typeof result === "object" && (result as { type?: unknown }).type === "DataWithResponseInit") {
    const { data, init } = result as { data: T; init: ResponseInit | null };
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data };
  }
  return { status: 200, headers: new Headers(), data: result as T };
}

type RequestOptions = { cookie?: string; ip?: string; headers?: Record<string, string> };

function context(ip: string) {
  return { clientIp: ip, requestId: "test", logger };
}

export function postForm<T = { errors: Record<string, string>; values: Record<string, string> }>(
  handler: Handler,
  path: string,
  fields: Record<string, string>,
  { cookie, ip = TEST_IP, headers = {} }: RequestOptions = {},
): Promise<Outcome<T>> {
  const request = new Request(`http://localhost${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { ...(cookie ? { Cookie: cookie } : {}), "User-Agent": "vitest", ...headers },
  });
  return settle<T>(() => handler({ request, params: {}, context: context(ip) }));
}

export function get<T = unknown>(
  handler: Handler,
  path: string,
  { cookie, ip = TEST_IP, headers = {} }: RequestOptions = {},
): Promise<Outcome<T>> {
  const request = new Request(`http://localhost${path}`, {
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
  });
  return settle<T>(() => handler({ request, params: {}, context: context(ip) }));
}

/** "name=value" from a Set-Cookie header, ready for a Cookie header. */
export function cookiePair(setCookie: string | null): string {
  if (!setCookie) throw new Error("no Set-Cookie");
  return setCookie.split(";")[0];
}

export async function englishCookie() {
  return cookiePair(await languageCookie.serialize("en"));
}

/**
 * An account with a password for the number, made the one way the app makes
 * them: a proof of the phone spent by sign-up's last step.
 */
export async function createAccount(input: {
  fullName: string;
  phone: string;
  password: string;
  role: Role;
  locale?: string;
}): Promise<CreateAccountResult> {
  const token = await issueProof(input.phone, "create-account");
  return createAccountWithProof(token, { locale: "vi", ...input });
}

/** A Cookie header value holding a proof of `phone` for `allows`, as the code step leaves it. */
export async function proofCookieFor(phone: string, allows: ProofAllows): Promise<string> {
  return cookiePair(await serializeProofCookie(await issueProof(phone, allows)));
}
