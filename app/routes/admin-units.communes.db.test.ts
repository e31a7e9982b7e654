/**
 * /admin-units/communes, through its real loader over the built-in units
 * (34 provinces, the 114 communes of Hải Phòng, code "31").
 */
import { describe, expect, it } from "vitest";
import { loader, SEARCH_LIMIT, type CommunesResponse } from "./admin-units.communes";

async function get(query: string) {
  const request = new Request(`http://localhost/admin-units/communes?${query}`);
  const res = await loader({ request, params: {}, context: {} });
  return { status: res.status, headers: res.headers, body: (await res.json()) as CommunesResponse };
}

describe("/admin-units/communes", () => {
  it("finds An Lão when a farmer types 'an lao' without diacritics", async () => {
    const { status, headers, body } = await get("province=31&q=an+lao");
    expect(status).toBe(200);
    expect(body.communes[0]).toEqual({ code: "11629", name: "An Lão", fullName: "Xã An Lão" });
    expect(headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect(headers.get("Content-Type")).toMatch(/^application\/json/);
  });

  it("finds both Cẩm Giang and Cẩm Giàng for 'cam giang', and accepts the unit type typed in front", async () => {
    const { body } = await get(`province=31&q=${encodeURIComponent("  cam   giang ")}`);
    expect(body.communes.map((c) => c.fullName).sort()).toEqual(["Xã Cẩm Giang", "Xã Cẩm Giàng"]);
    expect((await get("province=31&q=xa+an+lao")).body.communes[0].code).toBe("11629");
  });

  it("lists the whole province, in Vietnamese order, when q is empty", async () => {
    for (const query of ["province=31", "province=31&q=", "province=31&q=%20%20"]) {
      const { status, body } = await get(query);
      expect(status, query).toBe(200);
      expect(body.communes, query).toHaveLength(114);
    }
    const names = (await get("province=31")).body.communes.map((c) => c.name);
    expect(names).toEqual([...names].sort(new Intl.Collator("vi").compare));
  });

  it("returns at most 20 matches", async () => {
    // "a" is in nearly every name of Hải Phòng.
    const { body } = await get("province=31&q=a");
    expect(SEARCH_LIMIT).toBe(20);
    expect(body.communes).toHaveLength(SEARCH_LIMIT);
  });

  it("answers 400 with an empty list for a malformed province code", async () => {
    for (const query of ["", "q=an+lao", "province=", "province=abc", "province=31'%20OR%20'1'='1", "province=-1"]) {
      const { status, body } = await get(query);
      expect(status, query).toBe(400);
      expect(body, query).toEqual({ communes: [] });
    }
  });

  it("answers an empty list for a province without communes or a code that does not exist", async () => {
    const other = await get("province=01");
    expect(other.status).toBe(200);
    expect(other.body.communes).toEqual([]);
    expect((await get("province=99999&q=an+lao")).body.communes).toEqual([]);
    // Communes of another province are not offered.
    expect((await get("province=01&q=an+lao")).body.communes).toEqual([]);
  });
});
