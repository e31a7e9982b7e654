/**
 * The admins' bulk exports screen and its download, through the HTTP server
 * as a browser without JavaScript uses them, with a real job runner of this
 * database behind the form (the one the app's `jobQueue()` finds) and the
 * tests' own writer: only admins get in; a bad commune is told in the
 * reader's language and creates nothing; a good request runs as a job and its
 * file downloads as an attachment nobody keeps; /media never serves it.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportRuns } from "#db/schema";
import { createFarmerWithStall, createUser, THANH_HA } from "#tests/fixtures/factories";
import { stallLinesWriter } from "#tests/fixtures/bulk-export-writer";
import { CookieJar, getPage, mainText, postForm } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { bulkExportJob } from "~/exports/index.server";
import { createJobRunner } from "~/jobs/start.server";
import { storage } from "~/media/index.server";
import { signedIn } from "#tests/harness/routes";
import { db, dbDriver } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { todayInVietnam } from "~/utils/format";

const server = serveAppForThisFile();

// The job runner this process's server would have started (server.js → startJobs), with the tests' writer.
const { writer } = stallLinesWriter();
const runner = createJobRunner({
  db,
  driver: dbDriver,
  databaseUrl: env().DATABASE_URL,
  pollingIntervalSeconds: 0.5,
  stopTimeoutMs: 1000,
});
runner.registerOneOff(bulkExportJob({ writers: { "meta.csv": writer }, progressEveryMs: 0 }));
beforeAll(async () => {
  await runner.start();
  globalThis.__ghsJobs = Promise.resolve(runner);
});
afterAll(async () => {
  delete globalThis.__ghsJobs;
  await runner.stop();
});

const stall = (await createFarmerWithStall(db, { stall: { name: "Vườn vải Bác Tư" } })).stall;
const farmer = await createFarmerWithStall(db);
const admin = await createUser(db, { role: "admin", fullName: "Trần Quốc Bảo" });
const asAdmin = { jar: new CookieJar(await signedIn(admin.id)) };
const asFarmer = { jar: new CookieJar(await signedIn(farmer.user.id)) };

const runsNow = async () => (await db.select().from(exportRuns)).length;

async function doneRun(id: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [run] = await db.select().from(exportRuns).where(eq(exportRuns.id, id));
    if (run.status === "done" || run.status === "failed") return run;
    if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("/admin/exports", () => {
  it("is for admins: a farmer is refused, a visitor is sent to sign in", async () => {
    const page = await getPage(server, "/admin/exports", asAdmin);
    expect(page.status).toBe(200);
    const text = await mainText(page);
    expect(text).toContain("Xuất tệp hàng loạt");
    expect(text).toContain("Google Merchant Center (XML)");
    expect((await getPage(server, "/admin/exports", asFarmer)).status).toBe(403);
    const visitor = await getPage(server, "/admin/exports");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fexports");
    expect(
      (await postForm(server, "/admin/exports", { scopeKind: "province", provinceCode: "31", format: "meta.csv" }))
        .status,
    ).toBe(302);
    expect(
      (
        await postForm(
          server,
          "/admin/exports",
          { scopeKind: "province", provinceCode: "31", format: "meta.csv" },
          asFarmer,
        )
      ).status,
    ).toBe(403);
    expect(await runsNow()).toBe(0);
  });

  it("answers an unknown commune, or one outside the province, with a translated message and creates nothing", async () => {
    const unknown = await postForm(
      server,
      "/admin/exports",
      { scopeKind: "commune", provinceCode: "31", communeCode: "99999", format: "meta.csv" },
      asAdmin,
    );
    expect(unknown.status).toBe(400);
    expect(await mainText(unknown)).toContain("Không tìm thấy xã, phường này. Hãy chọn lại trong danh sách.");

    const english = await postForm(
      server,
      "/admin/exports",
      { scopeKind: "commune", provinceCode: "31", communeCode: "99999", format: "meta.csv" },
      { ...asAdmin, language: "en" },
    );
    expect(english.status).toBe(400);
    expect(await mainText(english)).toContain("That commune or ward was not found. Choose one from the list.");

    const outside = await postForm(
      server,
      "/admin/exports",
      { scopeKind: "commune", provinceCode: "01", communeCode: THANH_HA.communeCode, format: "meta.csv" },
      asAdmin,
    );
    expect(outside.status).toBe(400);
    expect(await mainText(outside)).toContain("Xã, phường này không thuộc tỉnh đã chọn.");

    const noCommune = await postForm(
      server,
      "/admin/exports",
      { scopeKind: "commune", provinceCode: "31", communeCode: "", format: "amazon.csv" },
      asAdmin,
    );
    expect(noCommune.status).toBe(400);
    const text = await mainText(noCommune);
    expect(text).toContain("Hãy chọn xã, phường.");
    expect(text).toContain("Hãy chọn một định dạng trong danh sách.");
    expect(await runsNow()).toBe(0);
  });

  it("without JavaScript, choosing a province lists its communes and saves nothing", async () => {
    const res = await postForm(
      server,
      "/admin/exports",
      { intent: "pick-province", scopeKind: "commune", provinceCode: "31", communeCode: "", format: "meta.csv" },
      asAdmin,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`value="${THANH_HA.communeCode}"`);
    expect(await runsNow()).toBe(0);
  });

  it("runs a commune's export as a job; the history shows it and its file downloads as an attachment nobody keeps", async () => {
    const asked = await postForm(
      server,
      "/admin/exports",
      { scopeKind: "commune", provinceCode: "31", communeCode: THANH_HA.communeCode, format: "meta.csv" },
      asAdmin,
    );
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe("/admin/exports");
    const [asRow] = await db.select().from(exportRuns);
    expect(asRow).toMatchObject({ requestedByUserId: admin.id, scopeKind: "commune", format: "meta.csv" });
    const run = await doneRun(asRow.id);
    expect(run.status).toBe("done");

    const after = await getPage(server, "/admin/exports", asAdmin);
    const html = await after.clone().text();
    expect(html).toContain("Đã bắt đầu tạo tệp. Trang sẽ tự cập nhật khi xong."); // the toast
    const page = await mainText(after);
    expect(page).toContain("Người yêu cầu: Trần Quốc Bảo");
    expect(page).toContain("Xã Thanh Hà");
    expect(page).toContain("Meta: Facebook, Instagram (CSV)");
    expect(page).toContain("Xong");
    expect(page).toContain("Tải tệp");
    expect(page).not.toContain("Làm mới");

    const download = await getPage(server, `/admin/exports/${run.id}/download`, asAdmin);
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(download.headers.get("Content-Disposition")).toBe(
      `attachment; filename="gian-hang-so-xa-${THANH_HA.communeCode}-${todayInVietnam()}-meta.csv"`,
    );
    expect(download.headers.get("Cache-Control")).toBe("no-store");
    expect(download.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const body = await download.text();
    expect(body).toContain(`${stall.id}\tVườn vải Bác Tư\t0\n`);
    expect(Buffer.byteLength(body)).toBe(run.fileBytes);

    // Nobody else gets it, and /media never serves an export key, though the file is in the same store.
    expect((await getPage(server, `/admin/exports/${run.id}/download`, asFarmer)).status).toBe(403);
    expect((await getPage(server, `/admin/exports/${run.id}/download`)).status).toBe(302);
    expect(await storage().exists(run.fileKey!)).toBe(true);
    expect((await getPage(server, `/media/${run.fileKey}`)).status).toBe(404);
    expect((await getPage(server, `/media/${run.fileKey}`, asAdmin)).status).toBe(404);

    // Unknown, malformed, expired: 404, kept by nobody.
    for (const id of ["2f9c6d1e-0000-4000-8000-000000000000", "not-a-run"]) {
      const missing = await getPage(server, `/admin/exports/${id}/download`, asAdmin);
      expect(missing.status).toBe(404);
      expect(missing.headers.get("Cache-Control")).toBe("no-store");
      expect(await missing.text()).toBe("Không có tệp này, hoặc tệp đã hết hạn.");
    }
    await db
      .update(exportRuns)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(exportRuns.id, run.id));
    expect((await getPage(server, `/admin/exports/${run.id}/download`, asAdmin)).status).toBe(404);
    expect(await mainText(await getPage(server, "/admin/exports", asAdmin))).not.toContain("Tải tệp");
  });

  it("while a run waits, the page says so and offers a Refresh link that works without JavaScript", async () => {
    const [waiting] = await db
      .insert(exportRuns)
      .values({ requestedByUserId: admin.id, scopeKind: "province", scopeCode: "31", format: "google.xml" })
      .returning();
    const html = await (await getPage(server, "/admin/exports", asAdmin)).text();
    expect(html).toContain("Đang tạo tệp, trang tự cập nhật.");
    expect(html).toMatch(/<a href="\/admin\/exports">Làm mới<\/a>/);
    expect(html).toContain("Cả Thành phố Hải Phòng");
    expect(html).toContain("Đang chờ");
    await db.delete(exportRuns).where(and(eq(exportRuns.id, waiting.id)));
  });
});
