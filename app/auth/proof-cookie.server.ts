/**
 * The cookie that carries a proved phone from the code step to the one step
 * it allows (ADR 016): a random token, signed like the session cookie,
 * httpOnly, SameSite=Lax, 15 minutes. The token is worth something only while
 * its `phone_proofs` row is unused and unexpired (phone-proof.server.ts).
 *
 * And the one that remembers the numbers a browser proved at checkout
 * (ADR 019): the tokens of its `checkout` proofs, newest first, 30 days.
 */
import { createCookie, type Cookie } from "@remix-run/node";
import { CHECKOUT_PROOF_TTL_SECONDS, PROOF_TTL_SECONDS } from "./phone-proof.server";
import { env, sessionSecrets } from "~/utils/env.server";

export const PROOF_COOKIE_NAME = "__phone_proof";

let cookie: Cookie | undefined;
function proofCookie(): Cookie {
  cookie ??= createCookie(PROOF_COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env().COOKIE_SECURE,
    maxAge: PROOF_TTL_SECONDS,
    secrets: sessionSecrets(),
  });
  return cookie;
}

/** The request's proof token, or null (none, tampered, signed with a retired secret). */
export async function proofTokenFrom(request: Request): Promise<string | null> {
  const token: unknown = await proofCookie().parse(request.headers.get("Cookie"));
  return typeof token === "string" ? token : null;
}

/** Set-Cookie for a fresh proof. */
export function serializeProofCookie(token: string): Promise<string> {
  return proofCookie().serialize(token);
}

/** Set-Cookie that forgets the proof once its step is done. */
export function clearProofCookie(): Promise<string> {
  return proofCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

export const CHECKOUT_PHONES_COOKIE_NAME = "__checkout_phones";
/** A family may order for two or three numbers from one browser. */
const CHECKOUT_PHONES_MAX = 3;

let checkoutCookie: Cookie | undefined;
function checkoutPhonesCookie(): Cookie {
  checkoutCookie ??= createCookie(CHECKOUT_PHONES_COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    // "/": Remix posts the checkout form to /checkout.data, which a path of /checkout would not match.
    path: "/",
    secure: env().COOKIE_SECURE,
    maxAge: CHECKOUT_PROOF_TTL_SECONDS,
    secrets: sessionSecrets(),
  });
  return checkoutCookie;
}

/** The checkout proof tokens this browser holds (none, tampered or foreign-signed: none). */
export async function checkoutProofTokensFrom(request: Request): Promise<string[]> {
  const value: unknown = await checkoutPhonesCookie().parse(request.headers.get("Cookie"));
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string").slice(0, CHECKOUT_PHONES_MAX)
    : [];
}

/** Set-Cookie adding a new checkout proof to the ones this browser holds (the oldest beyond three dropped). */
export async function rememberCheckoutProof(request: Request, token: string): Promise<string> {
  const tokens = [token, ...(await checkoutProofTokensFrom(request)).filter((t) => t !== token)];
  return checkoutPhonesCookie().serialize(tokens.slice(0, CHECKOUT_PHONES_MAX));
}
