/**
 * The admins' payouts screen and its CSV through their real loaders and
 * actions: the figures are the ledger's, only admins get in, a payout can
 * never exceed what is owed, marking it sent twice pays once, the CSV opens
 * in Excel (BOM) without running anything a farmer typed, and payment alerts
 * can be dealt with.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { parse } from "csv-parse/sync";
import { describe, expect, it, vi } from "vitest";
import { households, ledgerEntries, payouts } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { action, loader } from "./admin.payouts";
import { loader as csvLoader } from "./admin.payouts[.]csv";
import { homePathFor } from "~/auth/accounts.server";
import { call, signedIn } from "#tests/harness/routes";
import { changeOrderStatus } from "~/orders/orders.server";
import { createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { listPaymentAlerts, raiseAlert } from "~/payments/core/alerts.server";
import { createAttempt, markAttemptStarted } from "~/payments/core/attempts.server";
import { applyNotification } from "~/payments/core/notifications.server";
import { recordCashOnDelivery } from "~/payments/farmer/money-received.server";
import type { PayoutRow } from "~/payments/ledger/payouts.server";
import { notification, placeWith } from "#tests/fixtures/payments";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

vi.hoisted(() => {
  // A 2,5 % fee: cash sales then leave a farmer owing the platform (a negative balance).
  process.env.PLATFORM_FEE_BPS = "250";
});

const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

// Three farms: one with a bank account, one whose farmer typed spreadsheet formulas as names (and gave
// an account number without a name, and a landline), one with cash only whose name hides a formula after a `;`.
const banked = await createSellingStall(db, { name: "Vải thiều Bác Thịnh", ...VIETQR_STALL });
const tricky = await createSellingStall(db, {
  name: '=HYPERLINK("http://x","Nhấn")',
  bankBin: "970436",
  bankAccountNumber: "0071000123456",
});
await db
  .update(households)
  .set({ name: '@SUM(1+1), "Hộ" Lê', phone: "+842203123456" })
  .where(eq(households.id, tricky.household.id));
const cashOnly = await createSellingStall(db, { name: "Rau sạch Kinh Môn" });
await db.update(households).set({ name: "Nguyen;=1+1" }).where(eq(households.id, cashOnly.household.id));

const admin = await createUser(db, { role: "admin", fullName: "Trần Quốc Bảo" });
const buyer = await createUser(db, { role: "buyer" });
const asAdmin = await signedIn(admin.id);
const asBuyer = await signedIn(buyer.id);
const asFarmer = await signedIn(banked.user.id);

async function payOnline(stallId: string, provider: "vnpay" | "stripe", qty: number) {
  const { checkoutCode } = await placeWith(db, [{ stallId, method: provider, qty }]);
  const { attempt } = await createAttempt(db, { checkoutCode, provider, expiresAt: later(30) });
  const ref = `${provider}-${attempt.id}`;
  await markAttemptStarted(db, { attemptId: attempt.id, providerRef: ref });
  await applyNotification(db, notification(provider, ref, { amountDong: attempt.amountDong }));
}

async function deliverCash(s: typeof banked, qty: number) {
  const { orders } = await placeWith(db, [{ stallId: s.stall.id, method: "cod", qty }]);
  for (const to of ["confirmed", "packed", "ready_for_pickup", "delivered"] as const) {
    await changeOrderStatus(db, {
      order: { orderId: orders[0].id },
      scope: { stallId: s.stall.id },
      to,
      actor: { role: "farmer", userId: s.user.id },
      onDelivered: recordCashOnDelivery,
    });
  }
}

await payOnline(banked.stall.id, "vnpay", 4); // 180.000 ₫
await payOnline(banked.stall.id, "stripe", 2); // 90.000 ₫
await payOnline(tricky.stall.id, "vnpay", 3); // 135.000 ₫
await deliverCash(cashOnly, 2); // 90.000 ₫ in the farmer's hands: they owe the fee

type PageData = {
  rows: PayoutRow[];
  totals: { owedDong: number; pendingDong: number };
  alerts: { id: string; kind: string; amountDong: number; orderCodes: string[]; reason: string | null }[];
};
type ActionData = { error: string; target: string; amount?: string; reference?: string };

const page = async () => (await call<PageData>(loader, "/admin/payouts", { cookies: [asAdmin] })).data;
const rowOf = async (stallId: string) => (await page()).rows.find((r) => r.stallId === stallId)!;
const post = (form: Record<string, string>, cookie = asAdmin) =>
  call<ActionData>(action, "/admin/payouts", { cookies: [cookie], form });

/** What each stall is owed, straight from the ledger: the sum of its owed_to_farmer and paid_out lines. */
async function ledgerOwed(): Promise<Map<string, number>> {
  const rows = await db
    .select({ stallId: ledgerEntries.stallId, owed: sql<string>`sum(${ledgerEntries.amountDong})` })
    .from(ledgerEntries)
    .where(inArray(ledgerEntries.kind, ["owed_to_farmer", "paid_out"]))
    .groupBy(ledgerEntries.stallId);
  return new Map(rows.map((r) => [r.stallId, Number(r.owed)]));
}

describe("who may see the payouts", () => {
  it("admins land on it after signing in", () => {
    expect(homePathFor("admin")).toBe("/admin/payouts");
  });

  it("sends anonymous visitors to log in and refuses buyers and farmers (page, actions and CSV)", async () => {
    const anon = await call(loader, "/admin/payouts");
    expect(anon.status).toBe(302);
    expect(anon.location).toBe("/login?redirectTo=%2Fadmin%2Fpayouts");
    expect((await call(csvLoader, "/admin/payouts.csv")).location).toBe("/login?redirectTo=%2Fadmin%2Fpayouts.csv");
    for (const cookie of [asBuyer, asFarmer]) {
      expect((await call(loader, "/admin/payouts", { cookies: [cookie] })).status).toBe(403);
      expect((await call(csvLoader, "/admin/payouts.csv", { cookies: [cookie] })).status).toBe(403);
      const attempt = await post({ intent: "record", stallId: banked.stall.id, amount: "1000" }, cookie);
      expect(attempt.status).toBe(403);
    }
    expect(await db.select().from(payouts)).toEqual([]);
  });
});

describe("the payouts screen", () => {
  it("shows each farmer's owed, paid out and pending figures as the ledger sums them, with whom and where to pay", async () => {
    const { rows, totals } = await page();
    const owed = await ledgerOwed();
    expect(rows.map((r) => r.stallId).sort()).toEqual([banked.stall.id, tricky.stall.id, cashOnly.stall.id].sort());
    for (const r of rows) {
      expect(r.owedDong).toBe(owed.get(r.stallId));
      expect(r).toMatchObject({ paidOutDong: 0, pendingPayoutDong: 0 });
    }
    // The same figures worked out by hand: the platform keeps 2,5 % of what it collected.
    const byStall = new Map(rows.map((r) => [r.stallId, r]));
    expect(byStall.get(banked.stall.id)!.owedDong).toBe(180_000 - 4_500 + (90_000 - 2_250));
    expect(byStall.get(tricky.stall.id)!.owedDong).toBe(135_000 - 3_375);
    expect(byStall.get(cashOnly.stall.id)!.owedDong).toBe(-2_250);
    expect(byStall.get(cashOnly.stall.id)!.availableDong).toBe(0);
    expect(totals.owedDong).toBe(263_250 + 131_625);
    // Most owed first.
    expect(rows[0].stallId).toBe(banked.stall.id);

    expect(byStall.get(banked.stall.id)).toMatchObject({
      stallName: "Vải thiều Bác Thịnh",
      farmerName: banked.household.name,
      communeName: "Thanh Hà",
      provinceName: expect.any(String),
      phone: expect.stringMatching(/^0\d{2,3} \d{3} \d{3,4}$/),
      bank: { bin: "970436", name: "Vietcombank", accountNumber: "0011001234567", accountName: "NGUYEN VAN THINH" },
    });
    expect(byStall.get(cashOnly.stall.id)!.bank).toBeNull();
  });

  it("refuses a payout that is not a positive whole number of đồng, or more than is owed, and records nothing", async () => {
    const available = (await rowOf(tricky.stall.id)).availableDong;
    for (const amount of ["", "abc", "-5000", "0", "12,5", "1.250,000", "45.00", "1e6", "10000000000000000"]) {
      const answer = await post({ intent: "record", stallId: tricky.stall.id, amount, reference: "CK 01" });
      expect(answer.status, amount).toBe(400);
      expect(answer.data).toMatchObject({ target: tricky.stall.id, amount, reference: "CK 01" });
    }
    const over = await post({ intent: "record", stallId: tricky.stall.id, amount: String(available + 1) });
    expect(over.status).toBe(400);
    expect(over.data.error).toBe("Số tiền chi trả vượt quá số nền tảng đang nợ nhà vườn (131.625\u00a0₫)");
    // A farmer who owes the platform cannot be "paid".
    expect((await post({ intent: "record", stallId: cashOnly.stall.id, amount: "1000" })).status).toBe(400);
    // Someone else's made-up id.
    expect((await post({ intent: "record", stallId: "not-a-stall", amount: "1000" })).status).toBe(400);
    expect(await db.select().from(payouts)).toEqual([]);
  });

  it("records a payout, then marking it sent twice pays it once", async () => {
    const before = await rowOf(banked.stall.id);
    const recorded = await post({
      intent: "record",
      stallId: banked.stall.id,
      amount: "200.000",
      reference: "  CK   Vietcombank 0912 ",
    });
    expect(recorded.status).toBe(302);
    expect(recorded.location).toBe("/admin/payouts");
    const pending = await rowOf(banked.stall.id);
    expect(pending).toMatchObject({
      owedDong: before.owedDong,
      pendingPayoutDong: 200_000,
      availableDong: before.owedDong - 200_000,
    });
    expect(pending.pendingPayouts).toEqual([
      expect.objectContaining({ amountDong: 200_000, reference: "CK Vietcombank 0912" }),
    ]);
    // Pending payouts count against what may still be recorded.
    const tooMuch = await post({
      intent: "record",
      stallId: banked.stall.id,
      amount: String(pending.availableDong + 1),
    });
    expect(tooMuch.status).toBe(400);

    const payoutId = pending.pendingPayouts[0].id;
    const first = await post({ intent: "markPaid", payoutId });
    const second = await post({ intent: "markPaid", payoutId });
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(first.setCookie).not.toBe(second.setCookie);
    const paidLines = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.payoutId, payoutId), eq(ledgerEntries.kind, "paid_out")));
    expect(paidLines.map((l) => l.amountDong)).toEqual([-200_000]);
    const after = await rowOf(banked.stall.id);
    expect(after).toMatchObject({
      owedDong: before.owedDong - 200_000,
      paidOutDong: 200_000,
      pendingPayoutDong: 0,
      pendingPayouts: [],
    });
    expect(after.owedDong).toBe((await ledgerOwed()).get(banked.stall.id));
    expect((await post({ intent: "markPaid", payoutId: "0b5f2c1e-0000-4000-8000-000000000000" })).status).toBe(404);
  });
});

describe("the payouts CSV", () => {
  it("opens in a Vietnamese Excel with Vietnamese intact, runs nothing a farmer typed, and has the screen's figures", async () => {
    const answer = await csvLoader({
      request: new Request("http://localhost/admin/payouts.csv", { headers: { Cookie: asAdmin } }),
      params: {},
      context: { clientIp: "203.0.113.7", requestId: "test", logger },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(answer.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="chi-tra-nha-vuon-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(answer.headers.get("Cache-Control")).toBe("no-store");
    const bytes = new Uint8Array(await answer.arrayBuffer());
    // UTF-8 with a byte order mark, and no `sep=` line (Excel would then ignore the mark): ADR 017.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text.startsWith('"Gian hàng";')).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);

    // Read back as Excel with `;` as its list separator does: every text cell quoted, every amount bare.
    const cells = parse(text, {
      delimiter: ";",
      cast: (value, context) => ({ value, quoted: context.quoting }),
    }) as unknown as { value: string; quoted: boolean }[][];
    for (const row of cells) {
      expect(row).toHaveLength(8);
      expect(row.slice(0, 5).every((c) => c.quoted)).toBe(true);
    }
    const [header, ...lines] = cells.map((row) => row.map((c) => c.value));
    expect(header).toEqual([
      "Gian hàng",
      "Chủ hộ",
      "Điện thoại",
      "Ngân hàng",
      "Số tài khoản",
      "Nền tảng đang nợ (đồng)",
      "Đã chi trả (đồng)",
      "Đang chờ chuyển (đồng)",
    ]);
    const { rows } = await page();
    expect(lines).toHaveLength(rows.length);
    for (const [i, r] of rows.entries()) {
      expect(cells[i + 1].slice(5).every((c) => !c.quoted)).toBe(true);
      expect(lines[i].slice(5).map(Number)).toEqual([r.owedDong, r.paidOutDong, r.pendingPayoutDong]);
    }
    const tricked = lines.find((l) => l[0].includes("HYPERLINK"))!;
    // A leading apostrophe: Excel shows the text instead of running it, and keeps an account number's zeros.
    expect(tricked.slice(0, 5)).toEqual([
      '\'=HYPERLINK("http://x","Nhấn")',
      '\'@SUM(1+1), "Hộ" Lê',
      "'+842203123456",
      "Vietcombank",
      "'0071000123456",
    ]);
    for (const line of lines) for (const cell of line.slice(0, 5)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // A formula after a `;` stays inside its quoted cell; a negative amount stays a number.
    expect(lines.find((l) => l[0] === "Rau sạch Kinh Môn")!.slice(1)).toEqual([
      "Nguyen;=1+1",
      expect.stringMatching(/^0\d{2,3} \d{3} \d{3,4}$/),
      "",
      "",
      "-2250",
      "0",
      "0",
    ]);
    expect(lines.find((l) => l[0] === "Vải thiều Bác Thịnh")!.slice(2, 5)).toEqual([
      rows.find((r) => r.stallId === banked.stall.id)!.phone,
      "Vietcombank",
      "0011001234567 NGUYEN VAN THINH",
    ]);
  });
});

describe("payment alerts", () => {
  it("lists the open alerts and lets an admin mark one dealt with", async () => {
    const alert = await raiseAlert(db, {
      kind: "late_payment",
      attemptId: null,
      amountDong: 90_000,
      details: { reason: "system:not_confirmed", orderCodes: ["ABCD2345"], provider: "vnpay" },
    });
    expect((await page()).alerts).toContainEqual(
      expect.objectContaining({
        id: alert.id,
        kind: "late_payment",
        amountDong: 90_000,
        orderCodes: ["ABCD2345"],
        reason: "not_confirmed",
      }),
    );
    expect((await post({ intent: "resolveAlert", alertId: alert.id }, asFarmer)).status).toBe(403);
    expect((await post({ intent: "resolveAlert", alertId: alert.id })).status).toBe(302);
    expect((await page()).alerts.map((a) => a.id)).not.toContain(alert.id);
    expect((await listPaymentAlerts(db)).map((a) => a.id)).not.toContain(alert.id);
    expect((await post({ intent: "resolveAlert", alertId: "nope" })).status).toBe(404);
    expect((await post({ intent: "explode" })).status).toBe(400);
  });
});
