/** Signing in to a running server over HTTP, as the login form does (no browser, so no Origin header). */
import { expect } from "vitest";

/** POST /login with phone and password; expects the redirect that sets the session cookie, and returns the cookie. */
export async function signIn(origin: string, phone: string, password: string): Promise<string> {
  const response = await fetch(`${origin}/login`, {
    method: "POST",
    body: new URLSearchParams({ phone, password }),
    redirect: "manual",
  });
  expect(response.status).toBe(302);
  const session = response.headers.getSetCookie().find((c) => c.startsWith("__session="));
  expect(session).toBeDefined();
  return session!.split(";")[0];
}

/** The password line `npm run admin:create` prints. */
export function printedPassword(output: string): string {
  const match = /^Password: (\S+)$/m.exec(output);
  if (!match) throw new Error(`no password in:\n${output}`);
  return match[1];
}
