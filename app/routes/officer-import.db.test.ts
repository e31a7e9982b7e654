/**
 * /officer/import over real HTTP, as a phone without JavaScript uses it:
 * every step a plain form post answered by a redirect, the pages rendered by
 * the server (upload form, preview with its errors and commune choices, the
 * result), the report downloaded, and the upload's body bounded.
 */
import { describe, expect, it } from "vitest";
import { officerCommunes } from "#db/schema";
import { policyFor } from "~/http/route-policies.server";
import { db } from "~/utils/db.server";
import { ROSTER_MAX_BYTES } from "~/utils/upload-limits";
import { createUser } from "#tests/fixtures/factories";
import { signedIn } from "#tests/harness/routes";
import { serveAppForThisFile } from "#tests/http/server";

const server = serveAppForThisFile();
const officer = await createUser(db, { role: "officer", fullName: "Phạm Thị Ngọc" });
await db.insert(officerCommunes).values([
  { officerUserId: officer.id, communeCode: "10813" },
  { officerUserId: officer.id, communeCode: "11203" },
]);
const cookie = await signedIn(officer.id);

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");

const page = async (path: string) => {
  const res = await server.fetch(path, { headers: { Cookie: cookie } });
  expect(res.status, path).toBe(200);
  return text(await res.text());
};
const postForm = (fields: Record<string, string>) =>
  server.fetch("/officer/import", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

describe("/officer/import without JavaScript", () => {
  it("uploads, previews, maps a commune, applies and downloads the report", async () => {
    expect(await page("/officer/import")).toContain("Nhập danh sách hộ");

    const csv = [
      "Họ và tên,Số điện thoại,Xã,Thôn,Huyện",
      "Nguyễn Văn Thịnh,0912 777 001,Xã Thanh Hà,Thôn Phú Lương,",
      "Trần Thị Sai,0123456789,Thanh Hà,,",
      "Lê Văn Cũ,0912777003,Xã Thanh Xá,Thôn 2,Huyện Thanh Hà",
    ].join("\r\n");
    const form = new FormData();
    form.append("roster", new Blob([`\ufeff${csv}`], { type: "text/csv" }), "danh-sach.csv");
    const uploaded = await server.fetch("/officer/import", { method: "POST", headers: { Cookie: cookie }, body: form });
    expect(uploaded.status).toBe(302);
    const previewPath = uploaded.headers.get("Location")!;
    expect(previewPath).toMatch(/^\/officer\/import\?draft=/);
    const draft = new URL(previewPath, server.origin).searchParams.get("draft")!;

    const preview = await page(previewPath);
    expect(preview).toContain("3 dòng: 1 dòng sẵn sàng, 2 dòng có lỗi. Chưa có gì được lưu.");
    expect(preview).toContain("số điện thoại không đúng (không phải số di động Việt Nam)");
    expect(preview).toContain("«Xã Thanh Xá» (Huyện Thanh Hà) · 1 dòng");

    const mapped = await postForm({
      intent: "map",
      draft,
      "map.0.name": "thanh xa",
      "map.0.district": "thanh ha",
      "map.0.code": "10813",
    });
    expect(mapped.status).toBe(302);
    expect(await page(previewPath)).toContain("3 dòng: 2 dòng sẵn sàng, 1 dòng có lỗi.");

    const applied = await postForm({ intent: "apply", draft });
    expect(applied.status).toBe(302);
    const done = await page(applied.headers.get("Location")!);
    expect(done).toContain("Đã nhập 2 hộ từ tệp «danh-sach.csv»; 1 dòng không nhập.");

    const report = await server.fetch(`/officer/import/${draft}.csv`, { headers: { Cookie: cookie } });
    expect(report.status).toBe(200);
    expect(report.headers.get("Content-Disposition")).toMatch(/^attachment; filename="bao-cao-nhap-danh-sach-/);
    const lines = (await report.text()).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain("số điện thoại không đúng");
  });

  it("bounds the upload's body by the roster's size limit", () => {
    const policy = policyFor("/officer/import");
    expect(policy.accepts).toContain("multipart");
    expect(policy.maxBodyBytes).toBeGreaterThan(ROSTER_MAX_BYTES);
    expect(policy.maxBodyBytes).toBeLessThan(ROSTER_MAX_BYTES * 1.2);
  });
});
