/**
 * /admin/exports/categories, the admins' mapping of our categories to TikTok
 * Shop, Shopee and Lazada category ids: through its loader and action (only
 * admins get in; a bad id is a translated message and changes nothing), and
 * through the HTTP server as a browser without JavaScript sees it (one form
 * per marketplace over one table, a toast after saving).
 */
import { describe, expect, it } from "vitest";
import { exportCategoryMappings } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { call, englishCookie, signedIn } from "#tests/harness/routes";
import { CookieJar, getPage, mainText, postForm } from "../../tests/http/forms";
import { serveAppForThisFile } from "../../tests/http/server";
import { CATEGORIES } from "~/listings";
import type { CategoryMappings } from "~/exports/index.server";
import { db } from "~/utils/db.server";
import { action, loader } from "./admin.exports.categories";

const PATH = "/admin/exports/categories";
const server = serveAppForThisFile();

const admin = await createUser(db, { role: "admin", fullName: "Trần Quốc Bảo" });
const farmer = await createUser(db, { role: "farmer" });
const buyer = await createUser(db, { role: "buyer" });
const asAdmin = await signedIn(admin.id);

/** One target's form as the page posts it: every category, blank unless given. */
const formFor = (target: string, values: Record<string, string> = {}) => ({
  target,
  ...Object.fromEntries(CATEGORIES.map((c) => [c, values[c] ?? ""])),
});

type Answer = { target: string; errors: Record<string, string>; values: Record<string, string> };
const post = (form: Record<string, string>, cookies: (string | null)[] = [asAdmin]) =>
  call<Answer>(action, PATH, { cookies, form });
const stored = () => db.select().from(exportCategoryMappings);
const page = async () => (await call<{ mappings: CategoryMappings }>(loader, PATH, { cookies: [asAdmin] })).data;

describe("who may map categories", () => {
  it("sends anonymous visitors to log in and refuses farmers and buyers, page and form alike", async () => {
    const anon = await call(loader, PATH);
    expect(anon.status).toBe(302);
    expect(anon.location).toBe("/login?redirectTo=%2Fadmin%2Fexports%2Fcategories");
    expect((await post(formFor("shopee", { "trai-cay": "100636" }), [])).status).toBe(302);
    for (const user of [farmer, buyer]) {
      const cookie = await signedIn(user.id);
      expect((await call(loader, PATH, { cookies: [cookie] })).status).toBe(403);
      expect((await post(formFor("shopee", { "trai-cay": "100636" }), [cookie])).status).toBe(403);
    }
    expect(await stored()).toEqual([]);
  });
});

describe("an admin maps categories", () => {
  it("sees every category unmapped at first", async () => {
    const { mappings } = await page();
    for (const target of ["tiktok", "shopee", "lazada"] as const) {
      expect(Object.values(mappings[target]).every((v) => v === null)).toBe(true);
    }
  });

  it("saves one marketplace's ids and comes back to the page with a toast", async () => {
    const answer = await post(formFor("shopee", { "trai-cay": "100636", "rau-la": " 100640 " }));
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(PATH);
    expect(answer.setCookie).toMatch(/^toast=/);
    const { mappings } = await page();
    expect(mappings.shopee).toMatchObject({ "trai-cay": "100636", "rau-la": "100640", thit: null });
    expect(mappings.tiktok["trai-cay"]).toBeNull();
    expect((await stored()).every((r) => r.updatedByUserId === admin.id)).toBe(true);
  });

  it("refuses a bad id with a translated message next to it, keeps what was typed, and changes nothing", async () => {
    const before = await stored();
    const answer = await post(formFor("shopee", { "trai-cay": "999", thit: "12a", "gia-vi": "=1+1" }));
    expect(answer.status).toBe(400);
    expect(answer.data.target).toBe("shopee");
    expect(answer.data.errors).toEqual({
      thit: "Mã ngành hàng chỉ gồm chữ số, tối đa 20 chữ số",
      "gia-vi": "Mã ngành hàng chỉ gồm chữ số, tối đa 20 chữ số",
    });
    expect(answer.data.values).toMatchObject({ "trai-cay": "999", thit: "12a", "gia-vi": "=1+1" });
    expect(await stored()).toEqual(before);

    const english = await post(formFor("lazada", { thit: "x".repeat(30) }), [asAdmin, await englishCookie()]);
    expect(english.status).toBe(400);
    expect(english.data.errors.thit).toBe("A category id is digits only, at most 20");
    expect(await stored()).toEqual(before);
  });

  it("refuses a form of no marketplace as a whole, changing nothing", async () => {
    const before = await stored();
    const answer = await post(formFor("google", { "trai-cay": "5795" }));
    expect(answer.status).toBe(400);
    expect(answer.data.errors.form).toBe("Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại");
    expect(await stored()).toEqual(before);
  });
});

describe("the page without JavaScript", () => {
  it("is one table whose inputs belong to one form per marketplace, reached from the exports screen", async () => {
    const exportsScreen = await getPage(server, "/admin/exports", { jar: new CookieJar(asAdmin) });
    expect(await exportsScreen.text()).toContain(`href="${PATH}"`);
    const res = await getPage(server, PATH, { jar: new CookieJar(asAdmin) });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const target of ["tiktok", "shopee", "lazada"]) {
      const form = new RegExp(`<form[^>]*id="map-${target}"[^>]*>`).exec(html)?.[0];
      expect(form).toContain('method="post"');
      expect(html).toContain(`<input type="hidden" name="target" value="${target}"/>`);
      expect(html).toMatch(new RegExp(`<button type="submit" form="map-${target}"`));
      for (const category of CATEGORIES) {
        expect(html).toMatch(new RegExp(`<input[^>]*form="map-${target}"[^>]*name="${category}"`));
      }
    }
    // The id saved above is shown in Shopee's column.
    expect(html).toMatch(/<input[^>]*id="map-shopee-trai-cay"[^>]*value="100636"/);
    expect(await mainText(new Response(html))).toContain("Ngành hàng trên các sàn");
  });

  it("saves a plain form post and shows the toast; a bad id comes back as the page with its message", async () => {
    const jar = new CookieJar(asAdmin);
    const saved = await postForm(server, PATH, formFor("tiktok", { "trai-cay": "601226" }), { jar });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(PATH);
    const after = await getPage(server, PATH, { jar });
    // The shell's toast, above the page's <main>.
    expect(await after.text()).toMatch(/role="status"[^>]*>Đã lưu mã ngành hàng TikTok Shop \(1 thay đổi\)\.</);
    expect((await page()).mappings.tiktok["trai-cay"]).toBe("601226");

    const refused = await postForm(server, PATH, formFor("tiktok", { "trai-cay": "601226", thit: "abc" }), { jar });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Mã ngành hàng chỉ gồm chữ số, tối đa 20 chữ số");
    expect(html).toContain("Chưa lưu mã TikTok Shop: hãy sửa các ô được đánh dấu.");
    expect(html).toMatch(/<input[^>]*id="map-tiktok-thit"[^>]*aria-invalid="true"[^>]*value="abc"/);
    expect((await page()).mappings.tiktok.thit).toBeNull();
  });
});
