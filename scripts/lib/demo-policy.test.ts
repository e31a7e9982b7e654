import { describe, expect, it } from "vitest";
import { seedDemoSetting, whyNotSeedDemo } from "./demo-policy";

const PG = "postgres://postgres@127.0.0.1:5432/shop";

describe("where the demo marketplace may be seeded", () => {
  it.each([
    // [environment, --force, allowed]
    [{}, false, true],
    [{ NODE_ENV: "production" }, false, true],
    [{ DATABASE_URL: "" }, false, true],
    [{ DATABASE_URL: "memory://" }, false, true],
    [{ SEED_DEMO: "false" }, false, false],
    [{ SEED_DEMO: "0" }, true, false],
    [{ DATABASE_URL: PG }, false, false],
    [{ DATABASE_URL: PG }, true, false],
    [{ DATABASE_URL: PG, SEED_DEMO: "" }, false, false],
    [{ DATABASE_URL: PG, SEED_DEMO: "false" }, true, false],
    [{ DATABASE_URL: PG, SEED_DEMO: "true" }, false, true],
    [{ DATABASE_URL: "postgresql://db/shop", SEED_DEMO: "1" }, false, true],
    [{ DATABASE_URL: PG, SEED_DEMO: "true", NODE_ENV: "production" }, false, false],
    [{ DATABASE_URL: PG, SEED_DEMO: "true", NODE_ENV: "production" }, true, true],
  ])("%j with force=%s: %s", (env, force, allowed) => {
    const refusal = whyNotSeedDemo(env, { force });
    if (allowed) expect(refusal).toBeNull();
    else expect(refusal).toMatch(/^[^\n]+\.$/);
  });

  it("says which setting to change", () => {
    expect(whyNotSeedDemo({ DATABASE_URL: PG })).toContain("SEED_DEMO=true");
    expect(whyNotSeedDemo({ DATABASE_URL: PG, SEED_DEMO: "true", NODE_ENV: "production" })).toContain("--force");
  });

  it("refuses a SEED_DEMO it cannot read", () => {
    expect(seedDemoSetting(" TRUE ")).toBe(true);
    expect(() => seedDemoSetting("yes")).toThrow('SEED_DEMO must be true or false (or unset), not "yes".');
  });
});
