import { createCookie } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { SESSION_COOKIE_NAME, SESSION_MAX_AGE_SECONDS, sessionCookieOptions } from "./session.server";

describe("session cookie", () => {
  it("is Secure in production, HttpOnly, SameSite=Lax, Path=/, 30 days", async () => {
    const cookie = createCookie(SESSION_COOKIE_NAME, sessionCookieOptions(true, ["s1"]));
    const header = await cookie.serialize("token");
    expect(header).toMatch(/^__session=/);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header).toMatch(/; Path=\//);
    expect(header).toMatch(new RegExp(`; Max-Age=${SESSION_MAX_AGE_SECONDS}`));
    expect(SESSION_MAX_AGE_SECONDS).toBe(30 * 24 * 60 * 60);
  });

  it("is not Secure in development, so http://localhost works", async () => {
    const cookie = createCookie(SESSION_COOKIE_NAME, sessionCookieOptions(false, ["s1"]));
    expect(await cookie.serialize("token")).not.toMatch(/Secure/);
  });

  it("rotates secrets: the first signs, every listed one verifies, a dropped one does not", async () => {
    const before = createCookie(SESSION_COOKIE_NAME, sessionCookieOptions(true, ["old"]));
    const during = createCookie(SESSION_COOKIE_NAME, sessionCookieOptions(true, ["new", "old"]));
    const after = createCookie(SESSION_COOKIE_NAME, sessionCookieOptions(true, ["new"]));
    const oldCookie = (await before.serialize("token")).split(";")[0];
    expect(await during.parse(oldCookie)).toBe("token");
    expect(await after.parse(oldCookie)).toBeNull();
    const newCookie = (await during.serialize("token")).split(";")[0];
    expect(await after.parse(newCookie)).toBe("token");
  });
});
