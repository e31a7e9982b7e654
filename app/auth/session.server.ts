/**
 * Database sessions.
 *
 * The `__session` cookie holds only a random 32-byte token, signed with
 * SESSION_SECRET (the first secret signs, every listed secret verifies, so
 * secrets rotate without logging everyone out). The `sessions` row is keyed
 * by the token's SHA-256, so a copy of the table holds no usable cookie.
 * Logging out deletes the row; a session can be revoked server-side.
 *
 * Sessions slide: one used is renewed for another 30 days, at most once a
 * day (the row in getUser, the cookie by keepingSessionAlive around every
 * request), so a farmer who opens the app every week is never logged out and
 * a session unused for 30 days is over.
 */
import { createHash, randomBytes } from "node:crypto";
import { createCookie, redirect, type Cookie, type CookieOptions } from "@remix-run/node";
import { and, eq, lt, sql } from "drizzle-orm";
import { sessions, users } from "#db/schema";
import { db } from "~/utils/db.server";
import { env, sessionSecrets } from "~/utils/env.server";
import { safeRedirect } from "~/utils/redirect";
import { homePathFor } from "./accounts.server";
import type { UserRole } from "#db/vocabulary";

export type Role = UserRole;
export type SessionUser = { id: string; fullName: string; phone: string; role: Role };

export const SESSION_COOKIE_NAME = "__session";
export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 30;
/** A session is renewed when its last renewal (or the login) is older than this. */
export const SESSION_RENEW_AFTER_SECONDS = 60 * 60 * 24;

export function sessionCookieOptions(secure: boolean, secrets: string[]): CookieOptions {
  return {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    maxAge: SESSION_MAX_AGE_SECONDS,
    secrets,
  };
}

let cookie: Cookie | undefined;
export function sessionCookie(): Cookie {
  cookie ??= createCookie(SESSION_COOKIE_NAME, sessionCookieOptions(env().COOKIE_SECURE, sessionSecrets()));
  return cookie;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, base64url

function sessionIdFor(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The request cookie's token, or null for no/tampered/unsigned cookie. */
async function tokenFrom(request: Request): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  // A cookie whose signature fails (tampered, or signed with a retired secret) parses to null.
  const token: unknown = await sessionCookie().parse(header);
  return typeof token === "string" && TOKEN.test(token) ? token : null;
}

/** The session row id of the request's cookie, or null for no/tampered/unsigned cookie. */
async function sessionIdFrom(request: Request): Promise<string | null> {
  const token = await tokenFrom(request);
  return token ? sessionIdFor(token) : null;
}

// Requests whose session getUser renewed: their answer carries the cookie again.
const renewed = new WeakMap<Request, string>();

async function loadUser(request: Request): Promise<SessionUser | null> {
  const token = await tokenFrom(request);
  if (!token) return null;
  const sessionId = sessionIdFor(token);
  const [row] = await db
    .select({
      id: users.id,
      fullName: users.fullName,
      phone: users.phone,
      role: users.role,
      expired: sql<boolean>`${sessions.expiresAt} <= now()`,
      deactivated: sql<boolean>`${users.deactivatedAt} IS NOT NULL`,
      renewDue: sql<boolean>`${sessions.expiresAt} < ${renewalCutoff()}`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sessionId))
    .limit(1);
  if (!row) return null;
  // A deactivated account (an officer an admin stopped, ADR 026) has no session, whatever a cookie says.
  if (row.expired || row.deactivated) {
    await db.delete(sessions).where(eq(sessions.id, sessionId));
    return null;
  }
  if (row.renewDue) {
    // Conditional: of requests racing on the same day, one renews and sets the cookie.
    const [renewal] = await db
      .update(sessions)
      .set({ expiresAt: sql`now() + make_interval(secs => ${SESSION_MAX_AGE_SECONDS})` })
      .where(and(eq(sessions.id, sessionId), sql`${sessions.expiresAt} < ${renewalCutoff()}`))
      .returning({ id: sessions.id });
    if (renewal) renewed.set(request, token);
  }
  return { id: row.id, fullName: row.fullName, phone: row.phone, role: row.role };
}

/** Expiry times before this are due for renewal: the session was last renewed more than a day ago. */
const renewalCutoff = () =>
  sql`now() + make_interval(secs => ${SESSION_MAX_AGE_SECONDS - SESSION_RENEW_AFTER_SECONDS})`;

/**
 * Around every request (entry.server.tsx): reads the session first, which
 * renews a row due for it, and gives that answer the cookie again with 30
 * more days. An answer that sets the session cookie itself (login, logout)
 * keeps its own; one meant for shared caches is made private, since it now
 * carries a session.
 */
export async function keepingSessionAlive(request: Request, run: () => Promise<Response>): Promise<Response> {
  // A page's photos, styles and scripts are not a visit of their own: the page
  // (a document) or its data (a fetch, "empty") renews; they would only ask again.
  const dest = request.headers.get("Sec-Fetch-Dest");
  if (dest && dest !== "document" && dest !== "empty") return run();
  await getUser(request);
  const response = await run();
  const token = renewed.get(request);
  if (!token) return response;
  const own = response.headers.getSetCookie().some((line) => line.startsWith(`${SESSION_COOKIE_NAME}=`));
  if (own) return response;
  const answer = new Response(response.body, response);
  answer.headers.append("Set-Cookie", await sessionCookie().serialize(token));
  if (/public|s-maxage/i.test(answer.headers.get("Cache-Control") ?? "")) {
    answer.headers.set("Cache-Control", "private, no-cache");
  }
  return answer;
}

// Root and route loaders of one request all ask; one query answers them.
const perRequest = new WeakMap<Request, Promise<SessionUser | null>>();

/** The signed-in user, or null (no cookie, tampered cookie, unknown or expired session, deactivated account). */
export function getUser(request: Request): Promise<SessionUser | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = loadUser(request);
    perRequest.set(request, pending);
  }
  return pending;
}

/** The user, or a redirect to /login that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  const search = back === "/" ? "" : `?${new URLSearchParams({ redirectTo: back })}`;
  throw redirect(`/login${search}`);
}

/** The user if they have one of the roles; anonymous → login, signed in with another role → 403. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/**
 * Signs the user in: a new session row (the old one of this browser, if any, is
 * dropped: no session fixation) and a redirect that sets the cookie.
 */
export async function createUserSession({
  request,
  userId,
  redirectTo,
  ip,
}: {
  request: Request;
  userId: string;
  redirectTo: string;
  ip?: string;
}): Promise<Response> {
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  const previous = await sessionIdFrom(request);
  await db.transaction(async (tx) => {
    if (previous) await tx.delete(sessions).where(eq(sessions.id, previous));
    // Housekeeping of this user's dead sessions.
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, sql`now()`)));
    await tx.insert(sessions).values({
      id: sessionIdFor(token),
      userId,
      expiresAt: expires,
      ip: ip && ip !== "unknown" ? ip : null,
      userAgent: request.headers.get("User-Agent")?.slice(0, 512) ?? null,
    });
  });
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": await sessionCookie().serialize(token) },
  });
}

/** Deletes the session row and clears the cookie. */
export async function logout(request: Request, redirectTo = "/"): Promise<Response> {
  const sessionId = await sessionIdFrom(request);
  if (sessionId) await db.delete(sessions).where(eq(sessions.id, sessionId));
  perRequest.delete(request);
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0, expires: new Date(0) }) },
  });
}

/** Housekeeping (the maintenance job): an expired session can never be used again. */
export async function pruneExpiredSessions(): Promise<number> {
  const gone = await db
    .delete(sessions)
    .where(lt(sessions.expiresAt, sql`now()`))
    .returning({ id: sessions.id });
  return gone.length;
}

/** Signs a user out everywhere (e.g. after a password change). */
export async function deleteUserSessions(userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/**
 * The login and signup pages send someone already signed in on their way:
 * to the page they came for, else their home. Returns the safe `redirectTo`.
 */
export async function redirectIfSignedIn(request: Request): Promise<string> {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "");
  const user = await getUser(request);
  if (user) throw redirect(redirectTo || homePathFor(user.role));
  return redirectTo;
}
