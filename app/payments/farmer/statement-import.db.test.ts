/**
 * Bank statement import on both databases: statements shaped like a
 * Vietcombank export (UTF-8 with BOM, commas, a preamble, separate debit and
 * credit columns) and a Techcombank export (Windows-1258, semicolons,
 * bilingual headers), matched against one stall's unpaid VietQR orders by the
 * order code in the memo and the exact amount; hostile files and cells.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orderEvents, orders } from "#db/schema";
import {
  decodeStatement,
  importStatement,
  memoLetters,
  parseCsv,
  parseStatementAmount,
  readStatement,
  STATEMENT_MAX_BYTES,
} from "./statement-import.server";
import { ledgerOf, orderRow, paymentRows, placeWith } from "#tests/fixtures/payments";
import { SYSTEM_CANCEL_REASONS } from "~/orders/cancel-reasons";
import { formatCode } from "~/orders/codes";
import { changeOrderStatus } from "~/orders/orders.server";
import { createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";
import { utf8 as utf8Text, windows1258 } from "#tests/fixtures/vietnamese-encodings";

const farm = await createSellingStall(db, VIETQR_STALL);
const rival = await createSellingStall(db, VIETQR_STALL);
const actor = { role: "farmer" as const, userId: farm.user.id };

/** One unpaid VietQR order of the stall: price × qty, picked up (no delivery fee). */
async function vietqrOrder(stallId = farm.stall.id, priceDong = 50_000, qty = 3) {
  const placed = await placeWith(db, [{ stallId, method: "vietqr", priceDong, qty }]);
  return placed.orders[0];
}

/** Statements as banks export them: UTF-8, with a byte order mark unless said. */
const utf8 = (text: string, bom = true) => utf8Text(text, bom);

/** Vietcombank-like: a preamble, then STT, date, reference, debit, credit, description; amounts "150,000". */
function vietcombank(lines: { date: string; debit?: string; credit?: string; memo: string }[]) {
  const rows = lines.map(
    (l, i) => `${i + 1},${l.date},5213 - ${10000 + i},${l.debit ?? ""},${l.credit ? `"${l.credit}"` : ""},"${l.memo}"`,
  );
  return [
    "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM",
    "SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT",
    "Số tài khoản: 0011001234567,,,,,",
    "Từ ngày: 01/06/2026 Đến ngày: 30/06/2026,,,,,",
    "STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả",
    ...rows,
    ",,Tổng cộng,,,",
  ].join("\r\n");
}

/** Techcombank-like: semicolons, bilingual headers, amounts "1.500.000", a balance column. */
function techcombank(lines: { date: string; debit?: string; credit?: string; memo: string; who?: string }[]) {
  return [
    "Ngày giao dịch/Transaction Date;Đối tác/Remitter;NH Đối tác/Remitter Bank;Diễn giải/Details;Nợ/Debit;Có/Credit;Số dư/Balance",
    ...lines.map(
      (l) => `${l.date};${l.who ?? "NGUYỄN VĂN AN"};VCB;${l.memo};${l.debit ?? ""};${l.credit ?? ""};1.000.000`,
    ),
  ].join("\n");
}

const payRowsOf = async (orderId: string) =>
  (await db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId))).filter((r) => r.paymentStatus);

describe("reading a statement", () => {
  it("reads amounts as whole đồng and refuses anything else", () => {
    const value = (s: string) => parseStatementAmount(s);
    expect(value("150,000")).toEqual({ kind: "value", dong: 150_000 });
    expect(value("1.500.000")).toEqual({ kind: "value", dong: 1_500_000 });
    expect(value("1.500.000,00")).toEqual({ kind: "value", dong: 1_500_000 });
    expect(value("1,500,000.00 VND")).toEqual({ kind: "value", dong: 1_500_000 });
    expect(value(" 150000 ")).toEqual({ kind: "value", dong: 150_000 });
    expect(value("+150.000 ₫")).toEqual({ kind: "value", dong: 150_000 });
    expect(value("-200,000")).toEqual({ kind: "value", dong: -200_000 });
    expect(value("(200.000)")).toEqual({ kind: "value", dong: -200_000 });
    expect(value("")).toEqual({ kind: "empty" });
    for (const bad of [
      "150000.50",
      "1.5",
      "12,5",
      "1e5",
      "=150000",
      "=1+149999",
      "@SUM(A1)",
      "150.000,5",
      "1.500,000.00",
    ])
      expect(value(bad), bad).toEqual({ kind: "invalid" });
  });

  it("keeps separators, quotes and line breaks inside quoted cells", () => {
    expect(parseCsv('a,"b,c","say ""hi""\nthere"\r\nd,,e\n', ",")).toEqual([
      ["a", "b,c", 'say "hi"\nthere'],
      ["d", "", "e"],
    ]);
  });

  it("finds a Vietcombank-like header under the preamble and keeps only money in", () => {
    const read = readStatement(
      utf8(
        vietcombank([
          { date: "02/06/2026", credit: "150,000", memo: "MBVCB.4567.ABCD2345.CT tu 0123 NGUYEN VAN AN" },
          { date: "03/06/2026", debit: "50,000", memo: "Phi dich vu SMS" },
        ]),
      ),
    );
    expect(read).toMatchObject({
      ok: true,
      encoding: "utf-8",
      columns: { date: "Ngày giao dịch", amount: "Số tiền ghi có", description: "Mô tả", amountKind: "credit" },
      lines: [
        {
          row: 6,
          date: "02/06/2026",
          amountDong: 150_000,
          description: "MBVCB.4567.ABCD2345.CT tu 0123 NGUYEN VAN AN",
        },
      ],
    });
  });

  it("reads a Windows-1258 Techcombank-like export with bilingual headers, and UTF-16 from Excel", () => {
    const text = techcombank([{ date: "05/06/2026", credit: "1.500.000", memo: "Chuyển tiền mua vải thiều" }]);
    const bytes = windows1258(text);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const read = readStatement(bytes);
    expect(read).toMatchObject({
      ok: true,
      encoding: "windows-1258",
      columns: { amount: "Có/Credit", description: "Diễn giải/Details", date: "Ngày giao dịch/Transaction Date" },
      lines: [{ amountDong: 1_500_000, description: "Chuyển tiền mua vải thiều" }],
    });
    const utf16 = new Uint8Array(Buffer.from(`\ufeff${text.replaceAll(";", "\t")}`, "utf16le"));
    expect(readStatement(utf16)).toMatchObject({ ok: true, encoding: "utf-16le", lines: [{ amountDong: 1_500_000 }] });
  });

  it("reads one signed amount column: negative amounts are money out", () => {
    const read = readStatement(
      utf8("Date;Description;Amount\n2026-06-02;GD ABCD2345;150000\n2026-06-03;ATM withdrawal;-500000\n", false),
    );
    expect(read).toMatchObject({ ok: true, columns: { amountKind: "signed" }, lines: [{ amountDong: 150_000 }] });
    expect(read.ok && read.lines).toHaveLength(1);
  });

  it("refuses what is not a CSV statement, with the reason", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect(decodeStatement(png)).toEqual({ ok: false, problem: "not_csv" });
    expect(readStatement(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toEqual({
      ok: false,
      problem: "spreadsheet",
    });
    expect(readStatement(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toEqual({
      ok: false,
      problem: "spreadsheet",
    });
    expect(readStatement(new Uint8Array())).toEqual({ ok: false, problem: "empty" });
    expect(readStatement(new Uint8Array(STATEMENT_MAX_BYTES + 1).fill(0x41))).toEqual({
      ok: false,
      problem: "too_large",
    });
    expect(readStatement(utf8("Xin chào,đây là thư\nkhông,phải sao kê\n"))).toEqual({
      ok: false,
      problem: "no_columns",
    });
  });

  it("reduces a memo to the letters and digits a bank keeps", () => {
    expect(memoLetters("MBVCB.123.abcd-2345.CT từ Đào")).toBe("MBVCB123ABCD2345CTTUDAO");
  });
});

describe("importStatement", () => {
  it("marks paid the orders named in the memo with their exact total, and lists the rest with reasons", async () => {
    const exact = await vietqrOrder(); // 150.000
    const differs = await vietqrOrder(farm.stall.id, 40_000, 2); // 80.000
    const rivals = await vietqrOrder(rival.stall.id); // 150.000, another stall
    const cash = (await placeWith(db, [{ stallId: farm.stall.id, method: "cod", priceDong: 50_000, qty: 3 }]))
      .orders[0];
    const file = utf8(
      vietcombank([
        // Banks lower-case, drop the dash, glue references around the code.
        {
          date: "02/06/2026",
          credit: "150,000",
          memo: `MBVCB.4567.${formatCode(exact.code).toLowerCase()}.CT tu NGUYEN VAN AN`,
        },
        { date: "02/06/2026", credit: "75,000", memo: `Thanh toan don ${differs.code}` },
        { date: "03/06/2026", credit: "150,000", memo: `CK ${rivals.code} mua hang` },
        { date: "03/06/2026", credit: "150,000", memo: `Don ${cash.code}` },
        { date: "04/06/2026", debit: "20,000", memo: `Hoan ${exact.code}` },
        { date: "05/06/2026", credit: "3,000,000", memo: "LUONG THANG 5" },
      ]),
    );

    const result = await importStatement(db, { bytes: file, stallId: farm.stall.id, actor });
    if (!result.ok) throw new Error(result.problem);
    expect(result.creditLines).toBe(5);
    expect(result.matched.map((l) => [l.orderCode, l.amountDong, l.outcome])).toEqual([
      [exact.code, 150_000, "matched"],
    ]);
    expect(result.unmatched.map((l) => [l.row, l.outcome, l.orderCode ?? null, l.expectedDong ?? null])).toEqual([
      [7, "amount_differs", differs.code, 80_000],
      // Another stall's order, and a cash order, are not this import's business: no code found.
      [8, "no_code", null, null],
      [9, "no_code", null, null],
      [11, "no_code", null, null],
    ]);

    expect(await orderRow(db, exact.id)).toMatchObject({ paymentStatus: "paid" });
    expect((await orderRow(db, exact.id)).paidAt).not.toBeNull();
    expect(await paymentRows(db, exact.id)).toEqual([
      { paymentStatus: "paid", amountDong: 150_000, actorRole: "farmer", fromStatus: "placed", toStatus: "placed" },
    ]);
    const [row] = await payRowsOf(exact.id);
    expect(row).toMatchObject({ actorUserId: farm.user.id, note: SYSTEM_CANCEL_REASONS.bankStatement });
    expect((await ledgerOf(db, exact.id)).map((l) => [l.kind, l.amountDong, l.collectedBy])).toEqual(
      expect.arrayContaining([["buyer_paid", 150_000, "farmer"]]),
    );
    for (const untouched of [differs, rivals, cash]) {
      expect((await orderRow(db, untouched.id)).paymentStatus).toBe("unpaid");
      expect(await payRowsOf(untouched.id)).toEqual([]);
      expect(await ledgerOf(db, untouched.id)).toEqual([]);
    }

    // The same file again: nothing changes, and the line says the order was paid already.
    const ledgerBefore = await ledgerOf(db, exact.id);
    const again = await importStatement(db, { bytes: file, stallId: farm.stall.id, actor });
    if (!again.ok) throw new Error(again.problem);
    expect(again.matched).toEqual([]);
    expect(again.unmatched.find((l) => l.row === 6)).toMatchObject({ outcome: "already_paid", orderCode: exact.code });
    expect(await payRowsOf(exact.id)).toHaveLength(1);
    expect(await ledgerOf(db, exact.id)).toEqual(ledgerBefore);
    for (const untouched of [differs, rivals, cash])
      expect((await orderRow(db, untouched.id)).paymentStatus).toBe("unpaid");
  });

  it("matches a Windows-1258 Techcombank-like export by code without a dash and an amount with dots", async () => {
    const order = await vietqrOrder(farm.stall.id, 500_000, 3); // 1.500.000
    const bytes = windows1258(
      techcombank([
        { date: "06/06/2026", credit: "1.500.000", memo: `Đặt vải thiều ${order.code.toLowerCase()} chị Hằng` },
      ]),
    );
    const result = await importStatement(db, { bytes, stallId: farm.stall.id, actor });
    expect(result).toMatchObject({ ok: true, matched: [{ orderCode: order.code, amountDong: 1_500_000 }] });
    expect((await orderRow(db, order.id)).paymentStatus).toBe("paid");
  });

  it("pays an order once when the same line comes twice, in one file or two imports at once", async () => {
    const twiceInFile = await vietqrOrder();
    const file = utf8(
      vietcombank([
        { date: "07/06/2026", credit: "150,000", memo: `DH ${twiceInFile.code}` },
        { date: "07/06/2026", credit: "150,000", memo: `DH ${twiceInFile.code} lan 2` },
      ]),
    );
    const result = await importStatement(db, { bytes: file, stallId: farm.stall.id, actor });
    expect(result).toMatchObject({
      ok: true,
      matched: [{ row: 6 }],
      unmatched: [{ row: 7, outcome: "already_paid" }],
    });

    const raced = await vietqrOrder();
    const racedFile = utf8(vietcombank([{ date: "08/06/2026", credit: "150,000", memo: `DH ${raced.code}` }]));
    const both = await Promise.all([
      importStatement(db, { bytes: racedFile, stallId: farm.stall.id, actor }),
      importStatement(db, { bytes: racedFile, stallId: farm.stall.id, actor }),
    ]);
    expect(both.flatMap((r) => (r.ok ? r.matched : []))).toHaveLength(1);
    expect(both.flatMap((r) => (r.ok ? r.unmatched.map((l) => l.outcome) : []))).toEqual(["already_paid"]);
    expect(await payRowsOf(raced.id)).toHaveLength(1);
  });

  it("leaves cancelled orders, tampered codes and unreadable amounts alone", async () => {
    const cancelled = await vietqrOrder();
    await changeOrderStatus(db, {
      order: { orderId: cancelled.id },
      scope: { stallId: farm.stall.id },
      to: "cancelled",
      actor,
      reason: "Hết hàng",
    });
    const target = await vietqrOrder();
    // One character changed: another code, which no order of the stall has.
    const tampered = target.code.slice(0, 7) + (target.code[7] === "Z" ? "Y" : "Z");
    const file = utf8(
      [
        "Ngày giao dịch,Số tiền,Nội dung",
        `09/06/2026,150000,${cancelled.code}`,
        `09/06/2026,150000,${tampered}`,
        `09/06/2026,"=150000+0",${target.code}`,
        `09/06/2026,150000.50,${target.code}`,
        `09/06/2026,"-150000",${target.code}`,
        `09/06/2026,150000,"=HYPERLINK(""http://evil.example"",""${target.code}"")"`,
      ].join("\n"),
    );
    const result = await importStatement(db, { bytes: file, stallId: farm.stall.id, actor });
    if (!result.ok) throw new Error(result.problem);
    expect(result.unmatched.map((l) => [l.row, l.outcome])).toEqual([
      [2, "order_cancelled"],
      [3, "no_code"],
      [4, "invalid_amount"],
      [5, "invalid_amount"],
    ]);
    // A formula-like memo is only text: the transfer names the order and has its amount, so it pays it; nothing is evaluated.
    expect(result.matched).toMatchObject([
      { row: 7, orderCode: target.code, description: `=HYPERLINK("http://evil.example","${target.code}")` },
    ]);
    expect((await orderRow(db, cancelled.id)).paymentStatus).toBe("unpaid");
    expect(await ledgerOf(db, cancelled.id)).toEqual([]);
  });

  it("changes nothing for a file it cannot read", async () => {
    const order = await vietqrOrder();
    const before = await db.select().from(orders).where(eq(orders.stallId, farm.stall.id));
    for (const [bytes, problem] of [
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), "spreadsheet"],
      [utf8(`Ngày,Ghi chú\n01/06/2026,${order.code}\n`), "no_columns"],
    ] as const) {
      expect(await importStatement(db, { bytes, stallId: farm.stall.id, actor })).toEqual({ ok: false, problem });
    }
    expect(await db.select().from(orders).where(eq(orders.stallId, farm.stall.id))).toEqual(before);
  });
});
