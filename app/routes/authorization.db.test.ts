/**
 * Who may reach which page, for every seller, wizard, officer and admin route
 * of the build (issue 16 §9). The routes come from the same manifest the test
 * server is built from (file-system routes and remix.config.js's own, the
 * seller's pages again under /officer/h/:householdId); each needs an entry in
 * ROUTES below, so a new route without one fails here.
 *
 * For each route, through the real HTTP server with real sessions, the people
 * who must not get in are turned away (anonymous → /login, the wrong role →
 * 403, a household not theirs → 404, "view" → 403 on a change) and nothing
 * changed: the main tables' rows are counted, and their contents hashed,
 * before and after. Someone allowed in gets the page (the control that the
 * refusals are the guard's, not a broken address).
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { exportRuns, households, rosterImports, stalls } from "#db/schema";
import {
  createFarmerWithStall,
  createOfficer,
  createUser,
  delegate,
  HA_BAC,
  THANH_HA,
} from "#tests/fixtures/factories";
import { BANK, createActiveListing, createSellingStall, pickupCheckout, VIETQR_STALL } from "#tests/fixtures/orders";
import { signedIn } from "#tests/harness/routes";
import { CookieJar, getPage, mainText, postForm, type Visit } from "../../tests/http/forms";
import { routePatterns, serveAppForThisFile, testBuild } from "../../tests/http/server";
import { deactivateOfficer, reactivateOfficer } from "~/officers/index.server";
import { sentSmsForTests } from "~/notifications/sms.server";
import { placeCheckout } from "~/orders/checkout.server";
import { storage } from "~/media/index.server";
import { db } from "~/utils/db.server";

// ---------------------------------------------------------------- the table

/**
 * One line per route path. `get`: what a GET answers someone allowed in
 * (the owner, an officer with a delegation, an admin), 200 unless said;
 * `note` says why when it is not.
 */
interface Entry {
  get?: number;
  /** What a GET answers everyone, signed in or not, when there is nothing to read (an upload endpoint). */
  everyGet?: number;
  /** The form every refused POST sends: one that would change something, were it let through (else an empty one). */
  form?: Record<string, string>;
  note?: string;
}

/** Forms that would change the household's data if a guard let them through. */
const PAUSE_LISTING = { intent: "status", status: "paused" };
const ADVANCE_ORDER = { intent: "advance", to: "confirmed" };
const CASH_OFF = {
  "vietqr.enabled": "on",
  "vietqr.bankBin": "970436",
  "vietqr.accountNumber": "0011001234567",
  "vietqr.accountName": "NGUYEN VAN THINH",
};

const ROUTES: Record<string, Entry> = {
  // ---- admin
  "/admin/audit": {},
  "/admin/exports": {},
  "/admin/exports/:runId/download": {},
  "/admin/exports/categories": {},
  "/admin/officers": {},
  "/admin/officers/:officerId": {},
  "/admin/payouts": {},
  "/admin/payouts.csv": {},
  "/admin/reports": {},
  "/admin/reports.csv": {},
  "/admin/reports.xlsx": {},
  // ---- officer
  "/officer": {},
  "/officer/exports": {},
  "/officer/exports/:runId/download": {},
  "/officer/import": {},
  "/officer/import/:importId.csv": {},
  "/officer/onboard": {},
  "/officer/progress": {},
  "/officer/progress.csv": {},
  "/officer/progress.xlsx": {},
  // ---- seller (the owner's; the same modules again below for an officer)
  "/seller": {},
  "/seller/listings": {},
  "/seller/listings/new": {},
  "/seller/listings/:listingId": { form: PAUSE_LISTING },
  "/seller/listings/:listingId/photos": { everyGet: 404, note: "an upload endpoint: POST only" },
  "/seller/marketplaces": {},
  "/seller/marketplaces/:file": {},
  "/seller/orders": {},
  "/seller/orders/:orderCode": { form: ADVANCE_ORDER },
  "/seller/payments/import": {},
  "/seller/handover": {},
  "/seller/officers": { get: 302, note: "its form is on the dashboard" },
  "/seller/offline-pages": {},
  "/seller/trail": {},
  // ---- the wizard (a published stall's owner may revisit its steps)
  "/setup": { get: 302, note: "resumes at the step reached, or the dashboard" },
  "/setup/household": {},
  "/setup/stall": {},
  "/setup/product": {},
  "/setup/delivery": {},
  "/setup/payment": { form: CASH_OFF },
  "/setup/payment/stripe": { get: 404, note: "Stripe Connect is off in the tests' environment" },
  "/setup/review": {},
  // ---- an officer acting for a household (ADR 029)
  "/officer/h/:householdId": { get: 302, note: "to the household's dashboard" },
  "/officer/h/:householdId/seller": {},
  "/officer/h/:householdId/seller/listings": {},
  "/officer/h/:householdId/seller/listings/new": {},
  "/officer/h/:householdId/seller/listings/:listingId": { form: PAUSE_LISTING },
  "/officer/h/:householdId/seller/listings/:listingId/photos": { everyGet: 404 },
  "/officer/h/:householdId/seller/marketplaces": {},
  "/officer/h/:householdId/seller/marketplaces/:file": {},
  "/officer/h/:householdId/seller/orders": {},
  "/officer/h/:householdId/seller/orders/:orderCode": { form: ADVANCE_ORDER },
  "/officer/h/:householdId/seller/payments/import": {},
  "/officer/h/:householdId/seller/officers": { get: 302 },
  "/officer/h/:householdId/seller/offline-pages": {},
  "/officer/h/:householdId/seller/trail": {},
  "/officer/h/:householdId/setup": { get: 302 },
  "/officer/h/:householdId/setup/household": {},
  "/officer/h/:householdId/setup/stall": {},
  "/officer/h/:householdId/setup/product": {},
  "/officer/h/:householdId/setup/delivery": {},
  "/officer/h/:householdId/setup/payment": { form: CASH_OFF },
  "/officer/h/:householdId/setup/payment/stripe": { get: 404, note: "Stripe's onboarding is the farmer's alone" },
  "/officer/h/:householdId/setup/review": {},
};

const GUARDED = /^\/(seller|setup|officer|admin)(\/|$)/;

type Area = "admin" | "officer" | "acting" | "seller";
const areaOf = (pattern: string): Area =>
  pattern.startsWith("/admin")
    ? "admin"
    : pattern.startsWith("/officer/h/")
      ? "acting"
      : pattern.startsWith("/officer")
        ? "officer"
        : "seller";

interface GuardedRoute {
  /** A loader answers GET (an upload endpoint has none: GET is 404 for everyone). */
  hasLoader: boolean;
  /** Where a POST goes, when a module of this path has an action: `?index` for an index route's. */
  post: "" | "?index" | null;
}

/** The guarded routes of the build by path pattern (a layout and its index route share one). */
async function guardedRoutes(): Promise<Map<string, GuardedRoute>> {
  const build = await testBuild();
  const found = new Map<string, GuardedRoute>();
  for (const route of routePatterns()) {
    if (!GUARDED.test(route.pattern)) continue;
    const module = build.routes[route.id]!.module as { action?: unknown; loader?: unknown };
    const seen = found.get(route.pattern) ?? { hasLoader: false, post: null };
    found.set(route.pattern, {
      hasLoader: seen.hasLoader || typeof module.loader === "function",
      post: typeof module.action === "function" ? (route.index ? "?index" : "") : seen.post,
    });
  }
  return found;
}

// ---------------------------------------------------------------- fixtures

const server = serveAppForThisFile();

interface HouseholdFixture {
  name: string;
  householdId: string;
  listingId: string;
  orderCode: string;
  ownerId: string;
  phone: string;
}

async function household(name: string, commune = THANH_HA): Promise<HouseholdFixture> {
  const farmer = await createSellingStall(db, VIETQR_STALL);
  if (commune !== THANH_HA) {
    await db.update(households).set(commune).where(eq(households.id, farmer.household.id));
  }
  const listing = await createActiveListing(db, farmer.stall.id, { title: `Vải thiều ${name}` });
  const placed = await placeCheckout(db, pickupCheckout([{ listing, qty: 1 }]));
  return {
    name,
    householdId: farmer.household.id,
    listingId: listing.id,
    orderCode: placed.orders[0]!.code,
    ownerId: farmer.user.id,
    phone: farmer.user.phone,
  };
}

// The households an officer of Xã Thanh Hà meets.
const own = await household("edit"); // delegated "edit": the officer may act
const viewOnly = await household("view"); // the farmer chose "view only"
const revoked = await household("revoked"); // the farmer chose "none"
const undelegated = await household("undelegated"); // in the commune, never delegated
const otherCommune = await household("other commune", HA_BAC); // a delegation, but Hà Bắc is not the officer's
const lapsed = await household("lapsed"); // its officer was deactivated, then reactivated

const officer = await createOfficer(db);
await delegate(db, officer.id, own.householdId, "edit");
await delegate(db, officer.id, viewOnly.householdId, "view");
await delegate(db, officer.id, revoked.householdId, "none");
await delegate(db, officer.id, otherCommune.householdId, "edit");
// A second officer of the same commune, deactivated then reactivated: the delegation stays lapsed.
const returning = await createOfficer(db);
await delegate(db, returning.id, lapsed.householdId, "edit");
await deactivateOfficer(db, returning.id);
await reactivateOfficer(db, returning.id);

const buyer = await createUser(db, { role: "buyer" });
const admin = await createUser(db, { role: "admin" });
const stranger = await createFarmerWithStall(db); // a farmer of another household, for the officer and admin areas

// A finished export of Thanh Hà (its file in storage) and a roster import of the officer.
const [run] = await db
  .insert(exportRuns)
  .values({ requestedByUserId: officer.id, scopeKind: "commune", scopeCode: THANH_HA.communeCode, format: "meta.csv" })
  .returning();
await storage().put(`exports/${run!.id}/1/meta.csv`, Buffer.from("id\n"), "text/csv; charset=utf-8");
await db
  .update(exportRuns)
  .set({
    status: "done",
    attempts: 1,
    fileKey: `exports/${run!.id}/1/meta.csv`,
    fileBytes: 3,
    finishedAt: new Date(),
    expiresAt: new Date(Date.now() + 86_400_000),
  })
  .where(eq(exportRuns.id, run!.id));
const [rosterImport] = await db
  .insert(rosterImports)
  .values({
    officerUserId: officer.id,
    fileName: "xa-thanh-ha.csv",
    rowsTotal: 0,
    rowsImported: 0,
    report: { state: "applied", format: "csv", lines: [] },
  })
  .returning({ id: rosterImports.id });

const jar = async (userId: string): Promise<Visit> => ({ jar: new CookieJar(await signedIn(userId)) });
const as = {
  anonymous: {} as Visit,
  buyer: await jar(buyer.id),
  admin: await jar(admin.id),
  officer: await jar(officer.id),
  returning: await jar(returning.id),
  stranger: await jar(stranger.user.id),
  owner: await jar(own.ownerId),
};

/** The values of a route's parameters, for one household's pages. */
const paramsOf = (h: HouseholdFixture): Record<string, string> => ({
  householdId: h.householdId,
  listingId: h.listingId,
  orderCode: h.orderCode,
  file: "tiktok.json",
  runId: run!.id,
  importId: rosterImport!.id,
  officerId: officer.id,
});

function addressOf(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} of ${pattern}: add one to paramsOf`);
    return encodeURIComponent(value);
  });
}

// ---------------------------------------------------------------- nothing changed

const WATCHED = [
  "households",
  "stalls",
  "listings",
  "orders",
  "household_delegations",
  "officer_communes",
  "users",
  "audit_log",
  "roster_entries",
  "export_runs",
] as const;

/** Per table: its row count and a hash of every row, so an update shows as well as an insert or delete. */
async function snapshot(): Promise<Record<string, string>> {
  const columns = WATCHED.map(
    (table) =>
      `(SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ${table} t) AS ${table}`,
  ).join(", ");
  const result = await db.execute(sql.raw(`SELECT ${columns}`));
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, string>[];
  return rows[0]!;
}

// ---------------------------------------------------------------- asking

type Expected = number | "login";

/** Asks, and says what came back when it is not what was expected (a readable failure across many routes). */
async function check(
  method: "GET" | "POST",
  path: string,
  who: keyof typeof as,
  expected: Expected,
  form: Record<string, string> = {},
) {
  const res = method === "GET" ? await getPage(server, path, as[who]) : await postForm(server, path, form, as[who]);
  const location = res.headers.get("Location") ?? "";
  await res.body?.cancel();
  const got: Expected = res.status === 302 && location.startsWith("/login?") ? "login" : res.status;
  return { what: `${who} ${method} ${path}`, got, expected };
}

// ---------------------------------------------------------------- the tests

const routes = await guardedRoutes();

describe("authorization of every seller, wizard, officer and admin route", () => {
  beforeAll(() => sentSmsForTests.clear());

  it("has an entry for every guarded route of the build, and none for a route that is gone", () => {
    const missing = [...routes.keys()].filter((p) => !(p in ROUTES)).map((p) => `add ${p} to the authorization table`);
    const gone = Object.keys(ROUTES)
      .filter((p) => !routes.has(p))
      .map((p) => `remove ${p} from the authorization table: no such route`);
    expect([...missing, ...gone]).toEqual([]);
  });

  it.each(Object.entries(ROUTES).filter(([pattern]) => routes.has(pattern)))("%s", async (pattern, entry) => {
    const area = areaOf(pattern);
    const { hasLoader, post } = routes.get(pattern)!;
    const hasAction = post !== null;
    const ownPath = addressOf(pattern, paramsOf(own));
    const asked: Promise<{ what: string; got: Expected; expected: Expected }>[] = [];
    const read = (path: string, who: keyof typeof as, expected: Expected) => {
      if (hasLoader) asked.push(check("GET", path, who, entry.everyGet ?? expected));
    };
    const refuse = (path: string, who: keyof typeof as, expected: Expected) => {
      read(path, who, expected);
      if (hasAction) asked.push(check("POST", path + post, who, expected, entry.form));
    };

    const before = await snapshot();
    refuse(ownPath, "anonymous", "login");
    if (area === "admin") {
      for (const who of ["buyer", "stranger", "officer"] as const) refuse(ownPath, who, 403);
      read(ownPath, "admin", entry.get ?? 200);
    }
    if (area === "officer") {
      for (const who of ["buyer", "stranger", "admin"] as const) refuse(ownPath, who, 403);
      read(ownPath, "officer", entry.get ?? 200);
    }
    if (area === "acting") {
      // Not an officer at all: the household is not found.
      for (const who of ["buyer", "owner", "admin"] as const) refuse(ownPath, who, 404);
      // An officer, but not for these households.
      for (const h of [otherCommune, undelegated, revoked]) refuse(addressOf(pattern, paramsOf(h)), "officer", 404);
      refuse(addressOf(pattern, paramsOf(lapsed)), "returning", 404);
      // "View only": reads, never changes.
      const viewPath = addressOf(pattern, paramsOf(viewOnly));
      read(viewPath, "officer", entry.get ?? 200);
      if (hasAction) asked.push(check("POST", viewPath + post, "officer", 403, entry.form));
      read(ownPath, "officer", entry.get ?? 200);
    }
    if (area === "seller") {
      // Another household's listing or order, asked for by id: not found.
      if (/:(listingId|orderCode)/.test(pattern)) refuse(ownPath, "stranger", 404);
      read(ownPath, "owner", entry.get ?? 200);
    }

    const answers = await Promise.all(asked);
    expect.soft(answers.filter((a) => a.got !== a.expected)).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("an officer and a farmer's bank account", () => {
  const path = `/officer/h/${own.householdId}/setup/payment`;
  const form = (extra: Record<string, string> = {}) => ({
    cod: "on",
    "vietqr.enabled": "on",
    "vietqr.bankBin": BANK.bankBin,
    "vietqr.accountNumber": "9999888877",
    "vietqr.accountName": "TRAN VAN KHAC",
    ...extra,
  });
  const account = async () =>
    (
      await db
        .select({ number: stalls.bankAccountNumber, name: stalls.bankAccountName })
        .from(stalls)
        .where(eq(stalls.householdId, own.householdId))
    )[0]!;

  it("changes only with the code sent to the farmer's phone: none or a wrong one leaves the account as it was", async () => {
    expect(await account()).toEqual({ number: BANK.bankAccountNumber, name: BANK.bankAccountName });

    const asked = await postForm(server, path, form(), as.officer);
    expect(asked.status).toBe(200);
    expect(await mainText(asked)).toContain(`•••${own.phone.slice(-3)}`); // the officer is told which phone got the code
    expect(await account()).toEqual({ number: BANK.bankAccountNumber, name: BANK.bankAccountName });
    const sms = sentSmsForTests.get(own.phone);
    expect(sms?.text).toContain("9999888877".slice(-4));
    const code = /\b(\d{6})\b/.exec(sms!.text)![1]!;

    const wrong = await postForm(
      server,
      path,
      form({ payoutCode: code === "000000" ? "111111" : "000000" }),
      as.officer,
    );
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(await account()).toEqual({ number: BANK.bankAccountNumber, name: BANK.bankAccountName });
    // The code agrees to the account it was sent for, no other.
    const otherAccount = await postForm(
      server,
      path,
      form({ "vietqr.accountNumber": "5555666677", payoutCode: code }),
      as.officer,
    );
    expect(otherAccount.status).toBeGreaterThanOrEqual(400);
    expect(await account()).toEqual({ number: BANK.bankAccountNumber, name: BANK.bankAccountName });

    const right = await postForm(server, path, form({ payoutCode: code }), as.officer);
    expect(right.status).toBe(302);
    expect(await account()).toEqual({ number: "9999888877", name: "TRAN VAN KHAC" });
  });
});
