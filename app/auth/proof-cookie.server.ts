/**
 * The cookie that carries a proved phone from the code step to the one step
 * it allows (ADR 016): a random token, signed like the session cookie,
 * httpOnly, SameSite=Lax, 15 minutes. The token is worth something only while
 * its `phone_proofs` row is unused and unexpired (phone-proof.server.ts).
 */
import { createCookie, type Cookie } from "@remix-run/node";
import { PROOF_TTL_SECONDS } from "./phone-proof.server";
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
