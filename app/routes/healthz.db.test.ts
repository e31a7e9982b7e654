import { describe, expect, it } from "vitest";
import { loader } from "./healthz";

describe("/healthz", () => {
  it("answers 200 with a database check, never cached", async () => {
    const res = await loader();
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = await res.json();
    expect(body.status).toBe("ok");
    expect(body.database.ok).toBe(true);
    expect(body.database.driver).toBe(process.env.TEST_DB === "postgres" ? "postgres" : "pglite");
  });
});
