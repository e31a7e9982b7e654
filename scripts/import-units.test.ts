import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { currentDataset } from "~/admin-units/admin-units.server";
import { openDatabase } from "#db/client";
import { communes } from "#db/schema";

const FULL_LIST = path.resolve(process.cwd(), "../shared/data/vn-admin-units/units-2026-07-25.json");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-import-units-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The script as a person runs it, on an embedded database of its own in a temp folder. */
function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: tmp };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile("npx", ["tsx", "scripts/import-units.ts", ...args], { env, cwd: process.cwd() }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function inspect() {
  const handle = await openDatabase({ dataDir: tmp });
  try {
    const [{ n }] = await handle.db.select({ n: count() }).from(communes);
    return { communes: n, dataset: await currentDataset(handle.db) };
  } finally {
    await handle.close();
  }
}

describe("npm run db:import-units", { timeout: 90_000 }, () => {
  it("imports the full list and reports what it added", async () => {
    const { code, stdout, stderr } = await run(FULL_LIST);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Imported units-2026-07-25.json as version 2026-07-25 into PGlite");
    expect(stdout).toMatch(/in the file:\s+34 provinces, 3321 communes/);
    expect(stdout).toMatch(/added:\s+3207\n/);
    expect(stdout).toMatch(/changed:\s+0\n/);
    expect(stdout).toMatch(/unchanged:\s+148\n/);
    expect(await inspect()).toMatchObject({ communes: 3321, dataset: { version: "2026-07-25", added: 3207 } });
  });

  it("adds nothing the second time", async () => {
    const { code, stdout } = await run(FULL_LIST, "--version", "2026-07-25-again");
    expect(code).toBe(0);
    expect(stdout).toMatch(/added:\s+0\n/);
    expect(stdout).toMatch(/changed:\s+0\n/);
    expect(stdout).toContain("Nothing to change");
    expect(await inspect()).toMatchObject({ communes: 3321, dataset: { version: "2026-07-25-again" } });
  });

  it("names a file without a date by its SHA-256 and lists the changes", async () => {
    const data = JSON.parse(fs.readFileSync(FULL_LIST, "utf8"));
    data[0].Wards[0].Name = "Ba Đình Mới";
    const file = path.join(tmp, "units.json");
    fs.writeFileSync(file, JSON.stringify(data));
    const hash = createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 12);

    const { code, stdout } = await run(file);
    expect(code).toBe(0);
    expect(stdout).toContain(`as version sha256-${hash} `);
    expect(stdout).toMatch(/changed:\s+1\n/);
    expect(stdout).toContain("commune 00004:");
  });

  it("fails readably, changing nothing, on a missing, broken or wrongly shaped file", async () => {
    const cases: Array<[string, RegExp]> = [
      [path.join(tmp, "nope.json"), /^Error: Cannot read .*nope\.json: no such file\.\n$/],
      [write("broken.json", '[{"Code": "01",'), /^Error: .*broken\.json is not valid JSON: /],
      [
        write("shape.json", JSON.stringify([{ Code: 1, Name: "Hà Nội", Wards: [] }])),
        /shape\.json: Invalid administrative-unit data:\n.*province #1 \(Hà Nội\): Code must be a string of digits/,
      ],
    ];
    const before = await inspect();
    const results = await Promise.all(cases.map(([file]) => run(file)));
    results.forEach(({ code, stdout, stderr }, i) => {
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(cases[i][1]);
      expect(stderr).not.toMatch(/\n\s+at /);
    });
    expect(await inspect()).toEqual(before);
  });

  it("explains that the embedded database is in use while the app has it open", async () => {
    const app = await openDatabase({ dataDir: tmp });
    try {
      const { code, stderr } = await run(FULL_LIST);
      expect(code).toBe(1);
      expect(stderr).toContain("already open in another process");
      expect(stderr).toContain(`(pid ${process.pid})`);
    } finally {
      await app.close();
    }
  });
});

function write(name: string, content: string) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}
