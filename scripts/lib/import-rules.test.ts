import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkImports, describeGraph, readGraph } from "./import-rules";

let root: string;

/** A small app/ tree with the project's tsconfig paths. */
function tree(files: Record<string, string>) {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "import-rules-"));
  const all = {
    "tsconfig.json": JSON.stringify({
      compilerOptions: {
        moduleResolution: "Bundler",
        module: "ESNext",
        jsx: "react-jsx",
        baseUrl: ".",
        paths: { "~/*": ["./app/*"] },
      },
      include: ["**/*.ts", "**/*.tsx"],
    }),
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return checkImports(readGraph(root));
}

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the import rules of app/", () => {
  it("let routes and capabilities in through front doors and components, and tests anywhere", () => {
    const problems = tree({
      "app/orders/index.server.ts": 'export { place } from "./place.server";',
      "app/orders/place.server.ts": "export const place = () => 1;",
      "app/orders/index.ts": 'export { CODE } from "./codes";',
      "app/orders/codes.ts": "export const CODE = 6;",
      "app/orders/OrderParts.tsx": "export const OrderParts = () => null;",
      "app/orders/place.db.test.ts": 'import { place } from "./place.server"; place();',
      "app/cart/cart.server.ts":
        'import { place } from "~/orders/index.server"; import { CODE } from "~/orders"; export const x = place() + CODE;',
      "app/cart/cart.db.test.ts": 'import { place } from "~/orders/place.server"; place();',
      "app/routes/checkout.tsx":
        'import { OrderParts } from "~/orders/OrderParts"; import { place } from "~/orders/index.server"; export default () => OrderParts() ?? place();',
      "app/utils/format.ts": "export const f = 1;",
      "app/orders/uses-kernel.ts": 'import { f } from "~/utils/format"; export const g = f;',
    });
    expect(problems).toEqual([]);
  });

  it("refuse a route or another capability that opens an inner file", () => {
    const problems = tree({
      "app/orders/index.server.ts": 'export { place } from "./place.server";',
      "app/orders/place.server.ts": "export const place = () => 1;",
      "app/routes/checkout.tsx": 'import { place } from "~/orders/place.server"; export default place;',
      "app/cart/cart.server.ts": 'import { place } from "~/orders/place.server"; export const x = place;',
    });
    expect(problems.map((p) => p.rule)).toEqual(["front-door", "front-door"]);
    expect(problems.map((p) => p.message).join("\n")).toContain(
      "app/routes/checkout.tsx imports app/orders/place.server.ts",
    );
  });

  it("refuse two capabilities that import each other, even through other files", () => {
    const problems = tree({
      "app/orders/index.server.ts": 'export { place } from "./place.server";',
      "app/orders/place.server.ts": 'import { pay } from "~/payments/index.server"; export const place = () => pay;',
      "app/payments/index.server.ts": 'export { pay } from "./pay.server"; export { settle } from "./settle.server";',
      "app/payments/pay.server.ts": "export const pay = 1;",
      "app/payments/settle.server.ts": 'import { place } from "~/orders/index.server"; export const settle = place;',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].rule).toBe("no-cycle");
    expect(problems[0].message).toContain("orders, payments");
    expect(problems[0].message).toContain("app/orders/place.server.ts → app/payments/index.server.ts");
  });

  it("refuse a browser-safe door that reaches zod, a server module or node:, but not by type or on demand", () => {
    const problems = tree({
      "app/listings/index.ts": 'export { LIMIT } from "./limits";',
      "app/listings/limits.ts": 'import { z } from "zod"; export const LIMIT = z.number();',
      "app/stalls/index.ts": 'export { open } from "./open";',
      "app/stalls/open.ts": 'import { db } from "./db.server"; export const open = db;',
      "app/stalls/db.server.ts": "export const db = 1;",
      "app/media/Picture.tsx": 'import fs from "node:fs"; export const Picture = () => fs;',
      "app/auth/index.ts":
        'import type { z } from "zod"; export type Schema = z.ZodType; export const lazy = () => import("./schemas");',
      "app/auth/schemas.ts": 'import { z } from "zod"; export const s = z.string();',
    });
    expect(problems.map((p) => p.rule)).toEqual(["browser-safe", "browser-safe", "browser-safe"]);
    const messages = problems.map((p) => p.message).join("\n");
    expect(messages).toContain("app/listings/index.ts → app/listings/limits.ts → zod");
    expect(messages).toContain("app/stalls/index.ts → app/stalls/open.ts → app/stalls/db.server.ts");
    expect(messages).toContain("app/media/Picture.tsx → node:fs");
    expect(messages).not.toContain("app/auth");
  });

  it("draws which capability imports which", () => {
    tree({
      "app/orders/index.server.ts": "export const place = 1;",
      "app/payments/index.server.ts": 'import { place } from "~/orders/index.server"; export const pay = place;',
    });
    expect(describeGraph(readGraph(root))).toBe("orders         → (nothing)\npayments       → orders");
  });
});
