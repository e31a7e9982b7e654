/**
 * An officer's bulk exports (/officer/exports), through the HTTP server: the
 * admins' screen scoped to the communes the officer covers. A commune they
 * cover is queued; another commune, or a province, is refused in the reader's
 * language and queues nothing; the history and downloads are those of their
 * communes only (a province's run or another commune's is 404).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportRuns } from "#db/schema";
import { createFarmerWithStall, createOfficer, createUser, HA_BAC, THANH_HA } from "#tests/fixtures/factories";
import { signedIn } from "#tests/harness/routes";
import { CookieJar, getPage, mainText, postForm } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { storage } from "~/media/index.server";
import { db } from "~/utils/db.server";

const server = serveAppForThisFile();

// The job queue the screen hands runs to: recorded, not run (the job itself is tested with the admins' screen).
const queued: unknown[] = [];
beforeAll(() => {
  globalThis.__ghsJobs = Promise.resolve({
    enqueue: async (_name: string, payload: unknown) => (queued.push(payload), "job"),
  } as never);
});
afterAll(() => {
  delete globalThis.__ghsJobs;
});

await createFarmerWithStall(db);
const officer = await createOfficer(db, { communes: [THANH_HA.communeCode], user: { fullName: "Đỗ Thị Hạnh" } });
const neighbour = await createOfficer(db, { communes: [HA_BAC.communeCode] });
const admin = await createUser(db, { role: "admin" });
const asOfficer = { jar: new CookieJar(await signedIn(officer.id)) };
const asNeighbour = { jar: new CookieJar(await signedIn(neighbour.id)) };
const asAdmin = { jar: new CookieJar(await signedIn(admin.id)) };

const runs = async () => db.select().from(exportRuns);

/** A finished run with its file in storage, as the job leaves one. */
async function finishedRun(scopeKind: "commune" | "province", scopeCode: string, requestedByUserId: string) {
  const [run] = await db
    .insert(exportRuns)
    .values({ requestedByUserId, scopeKind, scopeCode, format: "meta.csv" })
    .returning();
  const fileKey = `exports/${run.id}/1/meta.csv`;
  await storage().put(fileKey, Buffer.from("id\ttitle\n"), "text/csv; charset=utf-8");
  await db
    .update(exportRuns)
    .set({
      status: "done",
      attempts: 1,
      fileKey,
      fileBytes: 9,
      finishedAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
    })
    .where(eq(exportRuns.id, run.id));
  return run.id;
}

describe("/officer/exports", () => {
  it("offers the officer's own communes, and is for officers only", async () => {
    const page = await getPage(server, "/officer/exports", asOfficer);
    expect(page.status).toBe(200);
    const html = await page.clone().text();
    expect(html).toContain(`value="${THANH_HA.communeCode}"`);
    expect(html).not.toContain(`value="${HA_BAC.communeCode}"`);
    expect(await mainText(page)).toContain("Xuất tệp hàng loạt");
    expect((await getPage(server, "/officer/exports", asAdmin)).status).toBe(403);
    expect((await getPage(server, "/officer/exports")).headers.get("Location")).toBe(
      "/login?redirectTo=%2Fofficer%2Fexports",
    );
  });

  it("refuses a commune the officer does not cover, and a province, in the reader's language, queueing nothing", async () => {
    const other = await postForm(
      server,
      "/officer/exports",
      { scopeKind: "commune", communeCode: HA_BAC.communeCode, format: "meta.csv" },
      asOfficer,
    );
    expect(other.status).toBe(403);
    expect(await mainText(other)).toContain("Bạn chỉ xuất được tệp của các xã, phường mình phụ trách.");
    const province = await postForm(
      server,
      "/officer/exports",
      { scopeKind: "province", provinceCode: THANH_HA.provinceCode, format: "meta.csv" },
      { ...asOfficer, language: "en" },
    );
    expect(province.status).toBe(403);
    expect(await mainText(province)).toContain("You can only export the communes you cover.");
    const noFormat = await postForm(
      server,
      "/officer/exports",
      { scopeKind: "commune", communeCode: THANH_HA.communeCode, format: "nope" },
      asOfficer,
    );
    expect(noFormat.status).toBe(400);
    expect(await mainText(noFormat)).toContain("Hãy chọn một định dạng trong danh sách.");
    expect(await runs()).toHaveLength(0);
    expect(queued).toHaveLength(0);
  });

  it("queues an export of a commune the officer covers and shows it in their history", async () => {
    const asked = await postForm(
      server,
      "/officer/exports",
      { scopeKind: "commune", communeCode: THANH_HA.communeCode, format: "meta.csv" },
      asOfficer,
    );
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe("/officer/exports");
    const [run] = await runs();
    expect(run).toMatchObject({
      requestedByUserId: officer.id,
      scopeKind: "commune",
      scopeCode: THANH_HA.communeCode,
      format: "meta.csv",
      status: "queued",
    });
    expect(queued).toEqual([expect.objectContaining({ runId: run.id })]);
    const page = await mainText(await getPage(server, "/officer/exports", asOfficer));
    expect(page).toContain("Xã Thanh Hà");
    expect(page).toContain("Người yêu cầu: Đỗ Thị Hạnh");
    expect(page).toContain("Đang chờ");
    // Not the neighbour's business.
    expect(await mainText(await getPage(server, "/officer/exports", asNeighbour))).not.toContain("Xã Thanh Hà");
    await db.delete(exportRuns);
  });

  it("downloads runs of the officer's communes only: another commune's or a province's run is 404", async () => {
    const mine = await finishedRun("commune", THANH_HA.communeCode, admin.id);
    const theirs = await finishedRun("commune", HA_BAC.communeCode, neighbour.id);
    const province = await finishedRun("province", THANH_HA.provinceCode, admin.id);

    const download = await getPage(server, `/officer/exports/${mine}/download`, asOfficer);
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toMatch(/^attachment; filename="gian-hang-so-xa-10813-/);
    expect(download.headers.get("Cache-Control")).toBe("no-store");
    expect(await download.text()).toBe("id\ttitle\n");

    for (const id of [theirs, province, "not-a-run"]) {
      const refused = await getPage(server, `/officer/exports/${id}/download`, asOfficer);
      expect(refused.status).toBe(404);
      expect(await refused.text()).toBe("Không có tệp này, hoặc tệp đã hết hạn.");
    }
    expect((await getPage(server, `/officer/exports/${mine}/download`, asNeighbour)).status).toBe(404);
    expect((await getPage(server, `/officer/exports/${mine}/download`, asAdmin)).status).toBe(403);

    const history = await getPage(server, "/officer/exports", asOfficer);
    const html = await history.text();
    expect(html).toContain(`/officer/exports/${mine}/download`);
    expect(html).not.toContain(theirs);
    expect(html).not.toContain(province);
    // The admins still see and download every run.
    expect((await getPage(server, `/admin/exports/${province}/download`, asAdmin)).status).toBe(200);
  });
});
