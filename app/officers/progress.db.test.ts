/**
 * Progress reports (ADR 027) on a small province built here: three communes of
 * Hải Phòng, households at every step, orders (cancelled ones too), online
 * payments, a roster. After the rollup, every number the dashboards show is
 * checked against a count this file computes with its own SQL; the workspace
 * list's filters, search and exclusions; the reminders' limits; the charts'
 * text alternatives; the CSV and XLSX downloads read back; who may open what.
 */
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "#db/client";
import { createUser } from "#tests/fixtures/factories";
import { call, signedIn } from "#tests/harness/routes";
import { createElement } from "react";
import { FunnelChart, MonthlyChart } from "./charts/charts";
import {
  communeFunnels,
  listOfficerHouseholds,
  monthlySales,
  officerFunnel,
  provinceReport,
  rebuildProgressRollups,
  ReminderError,
  sendReminder,
  type Funnel,
} from "~/officers/index.server";
import { sentSmsForTests } from "~/notifications/sms.server";
import { loader as adminCsv } from "~/routes/admin.reports[.]csv";
import { loader as adminXlsx } from "~/routes/admin.reports[.]xlsx";
import { loader as adminReports } from "~/routes/admin.reports";
import { action as workspaceAction, loader as workspace } from "~/routes/officer._index";
import { loader as progressCsv } from "~/routes/officer.progress[.]csv";
import { loader as progressXlsx } from "~/routes/officer.progress[.]xlsx";
import { loader as progressPage } from "~/routes/officer.progress";
import { db } from "~/utils/db.server";

const NOW = new Date();
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const A = "10813"; // Thanh Hà
const B = "10507"; // Thành Đông
const C = "10525"; // Hải Dương: not the officer's

const officer = await createUser(db, { role: "officer", fullName: "Cán bộ Lê Thị Hoa" });
const otherOfficer = await createUser(db, { role: "officer", fullName: "Cán bộ Phạm Văn Đức" });
const admin = await createUser(db, { role: "admin" });
const buyer = await createUser(db, { role: "buyer" });
const selfFarmer = await createUser(db, { role: "farmer" });
await db.execute(sql`INSERT INTO officer_communes (officer_user_id, commune_code) VALUES
  (${officer.id}, ${A}), (${officer.id}, ${B}), (${otherOfficer.id}, ${C})`);

let seq = 0;
const phone = () => `+8439${String(process.pid % 1000).padStart(3, "0")}${String(++seq).padStart(4, "0")}`;

async function household(input: {
  name: string;
  commune: string;
  step: string;
  stepDaysAgo: number;
  by?: string;
  stall?: "draft" | "published";
  listing?: { status: string; updatedDaysAgo: number };
  orders?: { method: string; status: string; paid: boolean; daysAgo: number; total: number }[];
  access?: "edit" | "view" | "none";
  lapsed?: boolean;
}) {
  const [h] = rowsOf(
    await db.execute(sql`
    INSERT INTO households (name, created_by_user_id, phone, province_code, commune_code, onboarding_step, step_reached_at)
    VALUES (${input.name}, ${input.by ?? officer.id}, ${phone()}, '31', ${input.commune}, ${input.step},
            ${daysAgo(input.stepDaysAgo).toISOString()}::timestamptz)
    RETURNING id`),
  );
  const id = String(h!.id);
  if (input.access)
    await db.execute(sql`INSERT INTO household_delegations (household_id, officer_user_id, access, lapsed_at)
      VALUES (${id}, ${officer.id}, ${input.access}, ${input.lapsed ? NOW.toISOString() : null}::timestamptz)`);
  if (!input.stall) return id;
  const n = ++seq;
  const [s] = rowsOf(
    await db.execute(sql`
    INSERT INTO stalls (household_id, slug, name, status, published_at)
    VALUES (${id}, ${`tien-do-${process.pid}-${n}`}, ${`Gian hàng ${n}`}, ${input.stall},
            ${input.stall === "published" ? NOW.toISOString() : null}::timestamptz)
    RETURNING id`),
  );
  const stallId = String(s!.id);
  if (input.listing)
    await db.execute(sql`
      INSERT INTO listings (stall_id, slug, title, category, unit, price_dong, status, created_at, updated_at)
      VALUES (${stallId}, 'vai', 'Vải thiều', 'trai-cay', 'kg', 45000, ${input.listing.status},
              ${daysAgo(input.listing.updatedDaysAgo).toISOString()}::timestamptz,
              ${daysAgo(input.listing.updatedDaysAgo).toISOString()}::timestamptz)`);
  for (const o of input.orders ?? []) {
    const code = `T${process.pid}${++seq}`;
    const [c] = rowsOf(await db.execute(sql`INSERT INTO checkouts (code) VALUES (${code}) RETURNING id`));
    const at = daysAgo(o.daysAgo).toISOString();
    await db.execute(sql`
      INSERT INTO orders (code, checkout_id, stall_id, buyer_name, buyer_phone, delivery_method, subtotal_dong,
                          delivery_fee_dong, total_dong, payment_method, payment_status, paid_at, status, created_at)
      VALUES (${code}, ${String(c!.id)}, ${stallId}, 'Trần Thị Mua', '+84912345678', 'pickup', ${o.total}, 0,
              ${o.total}, ${o.method}, ${o.paid ? "paid" : "unpaid"}, ${o.paid ? at : null}::timestamptz,
              ${o.status}, ${at}::timestamptz)`);
  }
  return id;
}

// Commune A (officer's)
const stuckNoStall = await household({
  name: "Nguyễn Văn Ánh",
  commune: A,
  step: "household",
  stepDaysAgo: 10,
  access: "edit",
});
const fresh = await household({
  name: "Trần Thị Bình",
  commune: A,
  step: "stall",
  stepDaysAgo: 2,
  stall: "draft",
  access: "edit",
});
const stuckProduct = await household({
  name: "Lê Văn Cường",
  commune: A,
  step: "product",
  stepDaysAgo: 20,
  stall: "draft",
  listing: { status: "draft", updatedDaysAgo: 20 },
  access: "view",
});
await household({
  name: "Đỗ Thị Dung",
  commune: A,
  step: "done",
  stepDaysAgo: 50,
  by: selfFarmer.id,
  stall: "published",
  listing: { status: "active", updatedDaysAgo: 3 },
});
const onlyCancelled = await household({
  name: "Phạm Văn Em",
  commune: A,
  step: "done",
  stepDaysAgo: 60,
  stall: "published",
  listing: { status: "active", updatedDaysAgo: 40 },
  orders: [{ method: "cod", status: "cancelled", paid: false, daysAgo: 5, total: 90_000 }],
  access: "edit",
  lapsed: true,
});
// Commune B (officer's)
const seller = await household({
  name: "Hoàng Thị Giang",
  commune: B,
  step: "done",
  stepDaysAgo: 90,
  stall: "published",
  listing: { status: "active", updatedDaysAgo: 45 },
  orders: [
    { method: "cod", status: "completed", paid: true, daysAgo: 62, total: 120_000 },
    { method: "vnpay", status: "delivered", paid: true, daysAgo: 10, total: 250_000 },
    { method: "cod", status: "cancelled", paid: false, daysAgo: 9, total: 777_000 },
  ],
  access: "edit",
});
const qrSeller = await household({
  name: "Vũ Văn Hải",
  commune: B,
  step: "done",
  stepDaysAgo: 80,
  stall: "published",
  listing: { status: "sold_out", updatedDaysAgo: 70 },
  orders: [
    { method: "vietqr", status: "completed", paid: true, daysAgo: 45, total: 300_000 },
    { method: "vnpay", status: "placed", paid: false, daysAgo: 40, total: 50_000 },
  ],
});
const revoked = await household({
  name: "Ngô Thị Khánh",
  commune: B,
  step: "payment",
  stepDaysAgo: 30,
  stall: "draft",
  access: "none",
});
// Commune C (another officer's)
const elsewhere = await household({
  name: "Nguyễn Văn Ánh Khác",
  commune: C,
  step: "household",
  stepDaysAgo: 30,
  by: otherOfficer.id,
});
await household({
  name: "Bùi Thị Lan",
  commune: C,
  step: "done",
  stepDaysAgo: 30,
  by: otherOfficer.id,
  stall: "published",
  listing: { status: "active", updatedDaysAgo: 1 },
  orders: [{ method: "stripe", status: "completed", paid: true, daysAgo: 1, total: 400_000 }],
});
// The roster: A has two households not registered yet and one registered; B one; C one.
const [imp] = rowsOf(
  await db.execute(
    sql`INSERT INTO roster_imports (officer_user_id, file_name) VALUES (${officer.id}, 'ds.csv') RETURNING id`,
  ),
);
await db.execute(sql`INSERT INTO roster_entries (import_id, commune_code, full_name, phone, hamlet, household_id) VALUES
  (${String(imp!.id)}, ${A}, 'Đặng Văn Minh', ${phone()}, 'Thôn Phú Lương', NULL),
  (${String(imp!.id)}, ${A}, 'Quách Thị Ngọc', ${phone()}, 'Thôn Đông', NULL),
  (${String(imp!.id)}, ${A}, 'Nguyễn Văn Ánh', ${phone()}, 'Thôn Phú Lương', ${stuckNoStall}),
  (NULL, ${B}, 'Lý Văn Oanh', ${phone()}, '', NULL),
  (NULL, ${C}, 'Trịnh Thị Phương', ${phone()}, '', NULL)`);

const asOfficer = await signedIn(officer.id);
const asAdmin = await signedIn(admin.id);

beforeAll(async () => {
  await rebuildProgressRollups(db, NOW);
});

/**
 * The test's own count of one funnel over the households matching `where`
 * (and the unregistered roster entries matching `rosterWhere`): EXISTS per
 * household, not the rollup's joins and GROUPING SETS.
 */
async function expectedFunnel(where: ReturnType<typeof sql>, rosterWhere: ReturnType<typeof sql>): Promise<Funnel> {
  const since30 = daysAgo(30).toISOString();
  const since7 = daysAgo(7).toISOString();
  const [r] = rowsOf(
    await db.execute(sql`
    SELECT
      count(*)::int AS registered,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stalls s WHERE s.household_id = h.id))::int AS stall_created,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM listings l JOIN stalls s ON s.id = l.stall_id WHERE s.household_id = h.id))::int AS first_product,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stalls s WHERE s.household_id = h.id AND s.status = 'published'))::int AS published,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders o JOIN stalls s ON s.id = o.stall_id WHERE s.household_id = h.id AND o.status <> 'cancelled'))::int AS first_order,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders o JOIN stalls s ON s.id = o.stall_id WHERE s.household_id = h.id AND o.status <> 'cancelled' AND o.created_at >= ${since30}::timestamptz)
                          OR EXISTS (SELECT 1 FROM listings l JOIN stalls s ON s.id = l.stall_id WHERE s.household_id = h.id AND l.updated_at >= ${since30}::timestamptz))::int AS active_30d,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM orders o JOIN stalls s ON s.id = o.stall_id WHERE s.household_id = h.id AND o.status <> 'cancelled' AND o.paid_at IS NOT NULL AND o.payment_method <> 'cod'))::int AS paid_online,
      count(*) FILTER (WHERE h.step_reached_at < ${since7}::timestamptz AND NOT EXISTS (SELECT 1 FROM stalls s WHERE s.household_id = h.id AND s.status = 'published'))::int AS stuck
    FROM households h WHERE ${where}`),
  );
  const [roster] = rowsOf(
    await db.execute(
      sql`SELECT count(*)::int AS n FROM roster_entries r JOIN communes c ON c.code = r.commune_code LEFT JOIN roster_imports ri ON ri.id = r.import_id WHERE r.household_id IS NULL AND ${rosterWhere}`,
    ),
  );
  return {
    roster: Number(r!.registered) + Number(roster!.n),
    registered: Number(r!.registered),
    stallCreated: Number(r!.stall_created),
    firstProduct: Number(r!.first_product),
    published: Number(r!.published),
    firstOrder: Number(r!.first_order),
    active30d: Number(r!.active_30d),
    paidOnline: Number(r!.paid_online),
    stuck: Number(r!.stuck),
  };
}

const pick = (f: Funnel): Funnel => ({
  roster: f.roster,
  registered: f.registered,
  stallCreated: f.stallCreated,
  firstProduct: f.firstProduct,
  published: f.published,
  firstOrder: f.firstOrder,
  active30d: f.active30d,
  paidOnline: f.paidOnline,
  stuck: f.stuck,
});

describe("the rollups", () => {
  it("count every commune, the officer and the province as the test's own SQL does", async () => {
    for (const code of [A, B, C]) {
      const [row] = await communeFunnels(db, [code]);
      expect(pick(row!), code).toEqual(
        await expectedFunnel(sql`h.commune_code = ${code}`, sql`r.commune_code = ${code}`),
      );
    }
    expect(await officerFunnel(db, officer.id)).toEqual(
      await expectedFunnel(sql`h.created_by_user_id = ${officer.id}`, sql`ri.officer_user_id = ${officer.id}`),
    );
    const province = await provinceReport(db, "31");
    expect(province.total).toEqual(await expectedFunnel(sql`h.province_code = '31'`, sql`c.province_code = '31'`));
    // And the numbers are the ones this province was built to have (a check on the check).
    expect(province.total).toMatchObject({ roster: 14, registered: 10, published: 5, firstOrder: 3, paidOnline: 3 });
    expect((await communeFunnels(db, [A]))[0]).toMatchObject({ roster: 7, registered: 5, stuck: 2, active30d: 2 });
  });

  it("sum orders and GMV per month without cancelled orders", async () => {
    const series = await monthlySales(db, "province", ["31"], { now: NOW, months: 12 });
    const [expected] = rowsOf(
      await db.execute(sql`SELECT count(*)::int AS n, coalesce(sum(total_dong), 0)::bigint AS gmv FROM orders
        WHERE status <> 'cancelled' AND created_at >= date_trunc('month', (now() AT TIME ZONE 'Asia/Ho_Chi_Minh') - interval '11 months') AT TIME ZONE 'Asia/Ho_Chi_Minh'`),
    );
    expect(series).toHaveLength(12);
    expect(series.reduce((s, m) => s + m.orders, 0)).toBe(Number(expected!.n));
    expect(series.reduce((s, m) => s + m.gmvDong, 0)).toBe(Number(expected!.gmv));
    expect(series.reduce((s, m) => s + m.gmvDong, 0)).toBe(120_000 + 250_000 + 300_000 + 50_000 + 400_000);
  });

  it("rebuild again to the same rows (the job can run any number of times)", async () => {
    const before = rowsOf(await db.execute(sql`SELECT * FROM progress_rollups ORDER BY scope_kind, scope_key`));
    await rebuildProgressRollups(db, NOW);
    const after = rowsOf(await db.execute(sql`SELECT * FROM progress_rollups ORDER BY scope_kind, scope_key`));
    expect(after).toEqual(before);
  });
});

describe("the officer's workspace list", () => {
  const names = async (filters: Parameters<typeof listOfficerHouseholds>[2] = {}) =>
    (await listOfficerHouseholds(db, officer.id, filters, { now: NOW })).rows.map((r) => r.name);

  it("lists the households and roster to-dos of the officer's communes only, never one that revoked access", async () => {
    const all = await names();
    expect(all).toEqual(
      expect.arrayContaining(["Nguyễn Văn Ánh", "Đỗ Thị Dung", "Hoàng Thị Giang", "Đặng Văn Minh", "Lý Văn Oanh"]),
    );
    expect(all).not.toContain("Ngô Thị Khánh"); // access "none"
    expect(all).not.toContain("Nguyễn Văn Ánh Khác"); // commune C
    expect(all).not.toContain("Trịnh Thị Phương"); // C's roster
    const [expected] = rowsOf(
      await db.execute(sql`SELECT
        (SELECT count(*) FROM households WHERE commune_code IN (${A}, ${B}) AND id <> ${revoked})::int
        + (SELECT count(*) FROM roster_entries WHERE commune_code IN (${A}, ${B}) AND household_id IS NULL)::int AS n`),
    );
    expect(all).toHaveLength(Number(expected!.n));
  });

  it("shows each household's step, stall, listings for sale, orders of 30 days and whether it is stuck", async () => {
    const { rows } = await listOfficerHouseholds(db, officer.id, {}, { now: NOW });
    const row = (id: string) => rows.find((r) => r.id === id)!;
    expect(row(seller)).toMatchObject({
      step: "done",
      stallStatus: "published",
      activeListings: 1,
      orders30d: 1,
      stuck: false,
      canAct: true,
    });
    expect(row(stuckNoStall)).toMatchObject({ step: "household", stallStatus: null, stuck: true, canAct: true });
    expect(row(onlyCancelled)).toMatchObject({ orders30d: 0, canAct: false }); // lapsed delegation
    expect(row(qrSeller)).toMatchObject({ activeListings: 0, canAct: false });
    expect(new Date(row(onlyCancelled).lastActivityAt!).getTime()).toBeGreaterThan(daysAgo(6).getTime()); // the cancelled order
    expect(rows.find((r) => r.name === "Đặng Văn Minh")).toMatchObject({
      kind: "roster",
      step: "roster",
      hamlet: "Thôn Phú Lương",
    });
  });

  it("finds names typed without diacritics, and filters by commune, step and stuck", async () => {
    expect(await names({ q: "nguyen van anh" })).toEqual(["Nguyễn Văn Ánh"]);
    expect(await names({ q: "HOANG thi" })).toEqual(["Hoàng Thị Giang"]);
    expect(await names({ q: "%" })).toEqual([]);
    expect(await names({ communeCode: B })).toEqual(["Hoàng Thị Giang", "Lý Văn Oanh", "Vũ Văn Hải"].sort());
    expect(await names({ communeCode: C })).toEqual([]);
    expect(await names({ step: "roster" })).toEqual(
      expect.arrayContaining(["Đặng Văn Minh", "Quách Thị Ngọc", "Lý Văn Oanh"]),
    );
    expect(await names({ step: "roster" })).toHaveLength(3);
    expect(await names({ step: "product" })).toEqual(["Lê Văn Cường"]);
    expect((await names({ stuck: true })).sort()).toEqual(["Lê Văn Cường", "Nguyễn Văn Ánh"].sort());
    expect(await names({ stuck: true, communeCode: B })).toEqual([]);
  });

  it("pages with a cursor, every row once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listOfficerHouseholds(db, officer.id, { cursor }, { now: NOW, limit: 3 });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(
      (await listOfficerHouseholds(db, officer.id, {}, { now: NOW, limit: 100 })).rows.map((r) => r.id),
    );
    expect(new Set(seen).size).toBe(seen.length);
    expect((await listOfficerHouseholds(db, officer.id, { cursor: "not-a-cursor" }, { now: NOW })).rows.length).toBe(
      seen.length,
    );
  });
});

describe("reminders to stuck households", () => {
  it("sends one SMS per household per week, only to stuck households of the officer's communes", async () => {
    sentSmsForTests.clear();
    const text = "Gian Hàng Số: nhắc hoàn thành gian hàng";
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => "sent",
        (e: unknown) => (e instanceof ReminderError ? e.reason : e),
      );
    expect(await reason(sendReminder(db, officer.id, stuckNoStall, { text, now: NOW }))).toBe("sent");
    expect(await reason(sendReminder(db, officer.id, stuckNoStall, { text, now: NOW }))).toBe("too_soon");
    expect(await reason(sendReminder(db, officer.id, stuckNoStall, { text, now: daysAgo(-8) }))).toBe("sent");
    expect(await reason(sendReminder(db, officer.id, fresh, { text, now: NOW }))).toBe("not_stuck");
    expect(await reason(sendReminder(db, officer.id, seller, { text, now: NOW }))).toBe("not_stuck");
    expect(await reason(sendReminder(db, officer.id, elsewhere, { text, now: NOW }))).toBe("not_found");
    expect(await reason(sendReminder(db, officer.id, revoked, { text, now: NOW }))).toBe("not_found");
    expect(await reason(sendReminder(db, officer.id, "nope", { text, now: NOW }))).toBe("not_found");
    const [phoneRow] = rowsOf(await db.execute(sql`SELECT phone FROM households WHERE id = ${stuckNoStall}`));
    expect(sentSmsForTests.all(String(phoneRow!.phone)).map((m) => m.text)).toEqual([text, text]);
    expect(sentSmsForTests.size).toBe(2);
  });

  it("stops an officer at 30 a day", async () => {
    // 30 reminders already today (to households long gone: the log keeps them).
    const later = daysAgo(-20);
    await db.execute(sql`INSERT INTO household_reminders (officer_user_id, sent_at)
      SELECT ${officer.id}, ${later.toISOString()}::timestamptz - (g || ' minutes')::interval FROM generate_series(1, 30) g`);
    await expect(sendReminder(db, officer.id, stuckProduct, { text: "x", now: later })).rejects.toMatchObject({
      reason: "officer_limit",
    });
    await db.execute(sql`DELETE FROM household_reminders WHERE household_id IS NULL`);
  });
});

describe("the pages", () => {
  it("the progress page shows the rollup's numbers, its time, and the officer's own funnel", async () => {
    const res = await call<{
      communes: { scopeKey: string; registered: number; published: number }[];
      total: Funnel;
      mine: Funnel;
      computedAt: string;
      months: { orders: number; gmvDong: number }[];
    }>(progressPage, "/officer/progress", { cookies: [asOfficer] });
    expect(res.status).toBe(200);
    expect(res.data.communes.map((c) => c.scopeKey).sort()).toEqual([A, B].sort());
    expect(pick(res.data.total)).toEqual(
      await expectedFunnel(sql`h.commune_code IN (${A}, ${B})`, sql`r.commune_code IN (${A}, ${B})`),
    );
    expect(pick(res.data.mine)).toEqual(
      await expectedFunnel(sql`h.created_by_user_id = ${officer.id}`, sql`ri.officer_user_id = ${officer.id}`),
    );
    expect(res.data.computedAt).toBe(NOW.toISOString());
    const gmv = res.data.months.reduce((s, m) => s + m.gmvDong, 0);
    expect(gmv).toBe(120_000 + 250_000 + 300_000 + 50_000);
  });

  it("the admin's province report shows shares per commune and a row per officer", async () => {
    const res = await call<{
      total: Funnel;
      communes: { scopeKey: string; registered: number; published: number; firstOrder: number; paidOnline: number }[];
      officers: { scopeKey: string; registered: number }[];
    }>(adminReports, "/admin/reports?province=31", { cookies: [asAdmin] });
    expect(res.status).toBe(200);
    for (const c of res.data.communes) {
      expect(pick(c as unknown as Funnel)).toEqual(
        await expectedFunnel(sql`h.commune_code = ${c.scopeKey}`, sql`r.commune_code = ${c.scopeKey}`),
      );
    }
    expect(res.data.communes.map((c) => c.scopeKey).sort()).toEqual([A, B, C].sort());
    expect(res.data.officers.map((o) => o.scopeKey).sort()).toEqual([officer.id, otherOfficer.id].sort());
  });

  it("CSV and XLSX downloads read back to the dashboard's numbers", async () => {
    const page = await call<{ communes: (Funnel & { name: string })[]; total: Funnel; mine: Funnel }>(
      progressPage,
      "/officer/progress",
      { cookies: [asOfficer] },
    );
    const expectedRows = [...page.data.communes, page.data.total, page.data.mine].map((f) => [
      f.roster,
      f.registered,
      f.stallCreated,
      f.firstProduct,
      f.published,
      f.firstOrder,
      f.active30d,
      f.paidOnline,
      f.stuck,
    ]);
    const csv = await download(progressCsv, "/officer/progress.csv", asOfficer);
    expect(csv.headers.get("Content-Type")).toMatch(/^text\/csv/);
    const records = parse(Buffer.from(await csv.arrayBuffer()).toString("utf8"), {
      delimiter: ";",
      bom: true,
    }) as string[][];
    expect(records[0]![0]).toBe("Xã");
    expect(records.slice(1).map((r) => r.slice(1).map(Number))).toEqual(expectedRows);
    expect(
      records
        .slice(1, 3)
        .map((r) => r[0])
        .sort(),
    ).toEqual(page.data.communes.map((c) => c.name).sort());

    const xlsx = await download(progressXlsx, "/officer/progress.xlsx", asOfficer);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0]!;
    const fromSheet: number[][] = [];
    sheet.eachRow((row, i) => {
      if (i > 1) fromSheet.push((row.values as unknown[]).slice(2).map(Number));
    });
    expect(fromSheet).toEqual(expectedRows);
    const months = book.worksheets[1]!;
    let gmv = 0;
    months.eachRow((row, i) => {
      if (i > 1) gmv += Number(row.getCell(3).value);
    });
    expect(gmv).toBe(120_000 + 250_000 + 300_000 + 50_000);

    const admin = await call<{ communes: (Funnel & { name: string })[]; total: Funnel }>(
      adminReports,
      "/admin/reports?province=31",
      { cookies: [asAdmin] },
    );
    const adminCsvRes = await download(adminCsv, "/admin/reports.csv?province=31", asAdmin);
    const adminRecords = parse(Buffer.from(await adminCsvRes.arrayBuffer()).toString("utf8"), {
      delimiter: ";",
      bom: true,
    }) as string[][];
    const shareOf = (part: number, whole: number) => String(Math.round((part * 1000) / whole) / 10).replace(".", ",");
    expect(adminRecords.slice(1)).toEqual(
      [...admin.data.communes, { ...admin.data.total, name: "Toàn tỉnh" }].map((f) => [
        f.name,
        ...[
          f.roster,
          f.registered,
          f.stallCreated,
          f.firstProduct,
          f.published,
          f.firstOrder,
          f.active30d,
          f.paidOnline,
          f.stuck,
        ].map(String),
        shareOf(f.published, f.registered),
        shareOf(f.firstOrder, f.registered),
        shareOf(f.paidOnline, f.registered),
      ]),
    );
    const adminBook = new ExcelJS.Workbook();
    await adminBook.xlsx.load(
      await (await download(adminXlsx, "/admin/reports.xlsx?province=31", asAdmin)).arrayBuffer(),
    );
    expect(adminBook.worksheets.map((w) => w.name)).toEqual(["Theo xã", "Theo cán bộ", "Đơn và doanh số"]);
    expect(Number(adminBook.worksheets[0]!.getRow(adminRecords.length).getCell(3).value)).toBe(
      admin.data.total.registered,
    );
  });

  it("the workspace page filters by its GET form and sends a reminder through its form", async () => {
    const page = await call<{ rows: { id: string; name: string }[]; communes: { code: string }[] }>(
      workspace,
      "/officer?q=LE+VAN&stuck=1",
      { cookies: [asOfficer] },
    );
    expect(page.status).toBe(200);
    expect(page.data.rows.map((r) => r.name)).toEqual(["Lê Văn Cường"]);
    expect(page.data.communes.map((c) => c.code).sort()).toEqual([A, B].sort());
    // A commune that is not the officer's is ignored as a filter, never shown.
    const foreign = await call<{ rows: { name: string }[] }>(workspace, `/officer?commune=${C}`, {
      cookies: [asOfficer],
    });
    expect(foreign.data.rows.map((r) => r.name)).not.toContain("Nguyễn Văn Ánh Khác");

    sentSmsForTests.clear();
    const sent = await call(workspaceAction, "/officer?index", {
      cookies: [asOfficer],
      form: { intent: "remind", householdId: stuckProduct, name: "Lê Văn Cường", back: "?stuck=1" },
    });
    expect(sent.status).toBe(302);
    expect(sent.location).toBe("/officer?stuck=1");
    expect(sentSmsForTests.size).toBe(1);
    const countFor = async (id: string) =>
      Number(
        rowsOf(await db.execute(sql`SELECT count(*)::int AS n FROM household_reminders WHERE household_id = ${id}`))[0]!
          .n,
      );
    expect(await countFor(stuckProduct)).toBe(1);
    const again = await call<{ error: string }>(workspaceAction, "/officer?index", {
      cookies: [asOfficer],
      form: { intent: "remind", householdId: stuckProduct, name: "x" },
    });
    expect(again.status).toBe(409);
    expect(again.data.error).toMatch(/7 ngày/);
    const foreignRemind = await call(workspaceAction, "/officer?index", {
      cookies: [asOfficer],
      form: { intent: "remind", householdId: elsewhere, name: "x" },
    });
    expect(foreignRemind.status).toBe(404);
    expect(await countFor(elsewhere)).toBe(0);
    expect(sentSmsForTests.size).toBe(1);
  });

  it("refuses buyers and farmers on officer pages, officers on the admin's", async () => {
    const asBuyer = await signedIn(buyer.id);
    const asFarmer = await signedIn(selfFarmer.id);
    for (const cookie of [asBuyer, asFarmer]) {
      for (const [handler, path] of [
        [workspace, "/officer"],
        [progressPage, "/officer/progress"],
        [progressCsv, "/officer/progress.csv"],
        [progressXlsx, "/officer/progress.xlsx"],
      ] as const) {
        expect((await call(handler, path, { cookies: [cookie] })).status, path).toBe(403);
      }
    }
    for (const [handler, path] of [
      [adminReports, "/admin/reports"],
      [adminCsv, "/admin/reports.csv"],
      [adminXlsx, "/admin/reports.xlsx"],
    ] as const) {
      expect((await call(handler, path, { cookies: [asOfficer] })).status, path).toBe(403);
    }
  });
});

describe("the charts", () => {
  it("draw SVG with a title, a description and the numbers as a table", () => {
    const html = renderToStaticMarkup(
      createElement(FunnelChart, {
        id: "t1",
        title: "Tiến độ xã Thanh Hà",
        description: "Số hộ ở mỗi bước",
        bars: [
          { label: "Đã đăng ký", value: 10 },
          { label: "Đã mở gian hàng", value: 4 },
        ],
      }),
    );
    expect(html).toContain("<svg");
    expect(html).toMatch(/<title[^>]*>Tiến độ xã Thanh Hà<\/title>/);
    expect(html).toMatch(/<desc[^>]*>Số hộ ở mỗi bước<\/desc>/);
    expect(html).toMatch(/<div class="visually-hidden"><table>/);
    expect(html).toContain("Đã mở gian hàng");
    const monthly = renderToStaticMarkup(
      createElement(MonthlyChart, {
        id: "t2",
        title: "Đơn hàng",
        description: "Đơn mỗi tháng",
        points: [
          { label: "01/2026", value: 3, text: "3" },
          { label: "02/2026", value: 0, text: "0" },
        ],
      }),
    );
    expect(monthly).toContain("<svg");
    expect(monthly).toContain("01/2026");
  });
});

async function download(handler: (args: never) => unknown, path: string, cookie: string): Promise<Response> {
  const request = new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });
  const res = await (handler as (args: unknown) => Promise<Response>)({ request, params: {}, context: {} });
  expect(res.status).toBe(200);
  return res;
}
