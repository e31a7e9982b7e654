/**
 * The audit trail in plain words: what a farmer reads on the dashboard for
 * the commonest changes an officer makes, in Vietnamese and English.
 */
import { describe, expect, it } from "vitest";
import { i18nInstance } from "~/i18n/i18n.server";
import { formatVnd } from "~/utils/format";
import { describeAuditEntry, trailTime, type TrailEntry } from "./trail";

const vi = i18nInstance("vi").getFixedT("vi", "acting");
const en = i18nInstance("en").getFixedT("en", "acting");

const byOfficer = (entry: Partial<TrailEntry>): TrailEntry => ({
  entity: "listings",
  action: "update",
  before: null,
  after: null,
  label: "Vải thiều",
  actorName: "Phạm Thị Ngọc",
  actorRole: "officer",
  ...entry,
});

describe("the trail in words", () => {
  it("says a price change with both prices in đồng", () => {
    const entry = byOfficer({ before: { price_dong: 50000 }, after: { price_dong: 60000 } });
    // "50.000 ₫" with the no-break space Intl puts before ₫.
    expect(describeAuditEntry(vi, entry)).toEqual([
      `Cán bộ Phạm Thị Ngọc đã sửa giá «Vải thiều»: ${formatVnd(50000)} → ${formatVnd(60000)}`,
    ]);
    expect(describeAuditEntry(en, entry, "en")).toEqual([
      `Officer Phạm Thị Ngọc changed the price of «Vải thiều»: ${formatVnd(50000, "en")} → ${formatVnd(60000, "en")}`,
    ]);
  });

  it("names statuses as the listing and order pages do", () => {
    const listing = byOfficer({ before: { status: "active" }, after: { status: "paused" } });
    expect(describeAuditEntry(vi, listing)).toEqual([
      "Cán bộ Phạm Thị Ngọc đã sửa trạng thái «Vải thiều»: Đang bán → Tạm ẩn",
    ]);
    const order = byOfficer({
      entity: "orders",
      label: "DH-7K3M",
      before: { status: "placed", payment_status: "unpaid" },
      after: { status: "confirmed", payment_status: "paid" },
    });
    expect(describeAuditEntry(vi, order)).toEqual([
      "Cán bộ Phạm Thị Ngọc đã sửa trạng thái đơn «DH-7K3M»: Đã đặt → Đã xác nhận",
      "Cán bộ Phạm Thị Ngọc đã sửa thanh toán của đơn «DH-7K3M»: Chưa thanh toán → Đã thanh toán",
    ]);
  });

  it("says a photo was added or removed", () => {
    const added = byOfficer({ entity: "listing_photos", action: "insert", after: { position: 0, alt: "" } });
    expect(describeAuditEntry(vi, added)).toEqual(["Cán bộ Phạm Thị Ngọc đã thêm ảnh cho «Vải thiều»"]);
    const removed = byOfficer({ entity: "listing_photos", action: "delete", before: { position: 1 } });
    expect(describeAuditEntry(vi, removed)).toEqual(["Cán bộ Phạm Thị Ngọc đã xoá một ảnh của «Vải thiều»"]);
  });

  it("says the bank account changed, once, without its number", () => {
    const entry = byOfficer({
      entity: "stalls",
      label: "Vườn vải cô Hoa",
      before: { bank_bin: "970436", bank_account_number: "•••789", bank_account_name: "NGUYEN THI HOA" },
      after: { bank_bin: "970418", bank_account_number: "•••321", bank_account_name: "NGUYEN THI HOA B" },
    });
    const words = describeAuditEntry(vi, entry);
    expect(words).toEqual(["Cán bộ Phạm Thị Ngọc đã đổi tài khoản nhận tiền của gian hàng «Vườn vải cô Hoa»"]);
    expect(words.join(" ")).not.toMatch(/789|321|9704|NGUYEN/);
  });

  it("says on/off settings, long texts without their values, and other fields by their column", () => {
    const entry = byOfficer({
      entity: "stalls",
      label: "Vườn vải",
      before: { cod_enabled: false, description: "cũ", slug: "a", weird_field: 1 },
      after: { cod_enabled: true, description: "mới", slug: "b", weird_field: 2 },
    });
    expect(describeAuditEntry(vi, entry)).toEqual([
      "Cán bộ Phạm Thị Ngọc đã bật thu tiền khi giao hàng (COD) cho gian hàng «Vườn vải»",
      "Cán bộ Phạm Thị Ngọc đã sửa giới thiệu gian hàng «Vườn vải»",
      "Cán bộ Phạm Thị Ngọc đã sửa weird field «Vườn vải»: 1 → 2",
    ]);
  });

  it("says the farmer's own choice for an officer", () => {
    const entry: TrailEntry = {
      entity: "household_delegations",
      action: "update",
      before: { access: "edit" },
      after: { access: "view" },
      label: "Phạm Thị Ngọc",
      actorName: "Nguyễn Thị Hoa",
      actorRole: "farmer",
    };
    expect(describeAuditEntry(vi, entry)).toEqual([
      "Nguyễn Thị Hoa đã đổi quyền của cán bộ Phạm Thị Ngọc: Sửa sản phẩm và đơn hàng → Chỉ xem",
    ]);
  });

  it("gives the time in Vietnam, with the year only when it is not this one", () => {
    const now = new Date("2025-12-20T00:00:00Z");
    expect(trailTime("2025-12-07T03:30:00Z", now)).toBe("07/12 10:30");
    expect(trailTime("2024-12-07T03:30:00Z", now)).toBe("07/12/2024 10:30");
  });
});
