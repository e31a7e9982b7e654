import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkI18n, parentsOf, routeId } from "./i18n-rules";

let root: string;

const locales = {
  common: { shell: { login: "Đăng nhập" }, languages: { vi: "Tiếng Việt", en: "English" } },
  seller: { nav: { label: "Gian hàng" }, listings: { count_other: "{{count}} sản phẩm" } },
  orders: { nav: { sellerTab: "Đơn hàng" }, statuses: { new: "Mới", paid: "Đã trả" }, title: "Đơn" },
};
const english = {
  common: { shell: { login: "Log in" }, languages: { vi: "Vietnamese", en: "English" } },
  seller: { nav: { label: "Stall" }, listings: { count_one: "{{count}} product", count_other: "{{count}} products" } },
  orders: { nav: { sellerTab: "Orders" }, statuses: { new: "New", paid: "Paid" }, title: "Orders" },
};

/** A small app/ with the project's tsconfig paths, i18n settings and two languages. */
function tree(files: Record<string, string>, en: Record<string, unknown> = english) {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "i18n-rules-"));
  const all: Record<string, string> = {
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
    "app/i18n/config.ts": 'export const i18nConfig = { defaultNS: "common" };',
    "app/root.tsx": 'export const handle = { i18n: ["common"] };',
    ...Object.fromEntries(
      Object.entries(locales).map(([ns, v]) => [`app/i18n/locales/vi/${ns}.json`, JSON.stringify(v)]),
    ),
    ...Object.fromEntries(Object.entries(en).map(([ns, v]) => [`app/i18n/locales/en/${ns}.json`, JSON.stringify(v)])),
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return checkI18n(root);
}

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the translation rules of app/", () => {
  it("accept every way a component or the server gets and calls its t", () => {
    const problems = tree({
      "app/routes/seller.tsx": `
        import { useTranslation } from "react-i18next";
        import { getT } from "~/i18n/index.server";
        export const handle = { i18n: ["seller", "orders"] };
        const NS = ["orders", "seller"] as const;
        export async function loader({ request }: { request: Request }) {
          const t = await getT(request, ["orders", "seller"]);
          const [t2, n] = await Promise.all([getT(request), Promise.resolve(1)]);
          return { a: t("title"), b: t("nav.label"), c: t2("shell.login"), n };
        }
        export default function Seller({ status, lng }: { status: "new" | "paid"; lng: string }) {
          const { t } = useTranslation(["seller", "orders"]);
          const { t: tOrders } = useTranslation(NS);
          const common = useTranslation();
          const [tc] = useTranslation("common");
          const helper = (t: (k: string) => string) => t("not.followed");
          return [
            t("nav.label"),
            t("nav.sellerTab", { ns: "orders" }),
            t("orders:statuses.new"),
            t(\`orders:statuses.\${status}\`),
            t("listings.count", { count: 2 }),
            tOrders(status === "new" ? "statuses.new" : "statuses.paid"),
            common.t(\`languages.\${lng}\`),
            tc("shell.login"),
            useTranslation("orders").t("title"),
            helper(t),
          ];
        }`,
      "app/utils/redirects.server.ts": `
        import { redirectWithToast } from "~/utils/toast.server";
        export const saved = () => redirectWithToast("/", { key: "seller:listings.count", values: { count: 1 } });`,
    });
    expect(problems).toEqual([]);
  });

  it("see each of those t()s (a wrong key in each is found)", () => {
    const problems = tree(
      {
        "app/routes/seller.tsx": `
        import { useTranslation } from "react-i18next";
        import { getT } from "~/i18n/index.server";
        export const handle = { i18n: ["seller", "orders"] };
        const NS = ["orders", "seller"] as const;
        export async function loader({ request }: { request: Request }) {
          const t = await getT(request, ["orders", "seller"]);
          const [t2, n] = await Promise.all([getT(request), Promise.resolve(1)]);
          return { a: t("x1"), c: t2("x2"), n };
        }
        export default function Seller({ lng }: { lng: string }) {
          const { t } = useTranslation(["seller", "orders"]);
          const { t: tOrders } = useTranslation(NS);
          const common = useTranslation();
          const [tc] = useTranslation("common");
          return [
            t("x3"),
            t("x4", { ns: "orders" }),
            t("orders:x5"),
            t("listings.count"),
            tOrders(lng === "vi" ? "x7" : "title"),
            common.t(\`x8.\${lng}\`),
            tc("x9"),
            useTranslation("orders").t("x10"),
          ];
        }`,
      },
      {},
    );
    expect(problems.map((p) => p.message.split(": ")[0])).toEqual([
      't("x1")',
      't2("x2")',
      't("x3")',
      't("x4")',
      't("orders:x5")',
      't("listings.count")',
      'tOrders("x7")',
      "common.t(`x8.${…}`)",
      'tc("x9")',
      't("x10")',
    ]);
  });

  it("refuse a t() in a namespace its component does not subscribe to (the /seller tab)", () => {
    const problems = tree({
      "app/routes/seller.tsx": `
        import { useTranslation } from "react-i18next";
        export const handle = { i18n: ["seller", "orders"] };
        export default function Seller({ error }: { error: string }) {
          const { t } = useTranslation("seller");
          return [t("nav.label"), t("nav.sellerTab", { ns: "orders" }), t("orders:title"), t(error, { ns: "orders" })];
        }`,
    });
    expect(problems.map((p) => [p.at, p.rule])).toEqual([
      ["app/routes/seller.tsx:6", "namespace"],
      ["app/routes/seller.tsx:6", "namespace"],
      ["app/routes/seller.tsx:6", "namespace"],
    ]);
    expect(problems[0].message).toBe(
      't("nav.sellerTab") uses namespace "orders", but its component subscribes only to ["seller"]: add "orders" to its useTranslation(…)',
    );
  });

  it("refuse keys missing in either language, plural forms without a count, and templates that match nothing", () => {
    const problems = tree(
      {
        "app/orders/Lines.tsx": `
          import { useTranslation } from "react-i18next";
          export function Lines({ s }: { s: string }) {
            const { t } = useTranslation(["orders", "seller"]);
            const key = s === "a" ? "title" : "statuses.nope";
            return [t("seller:listings.count"), t(\`nope.\${s}\`), t(key)];
          }`,
      },
      { ...english, orders: { ...english.orders, title: undefined } },
    );
    expect(problems.map((p) => `${p.at} ${p.message}`)).toEqual([
      'app/orders/Lines.tsx:5 t("title"): title is not in en/orders.json',
      'app/orders/Lines.tsx:5 t("statuses.nope"): statuses.nope is not in en/orders.json',
      'app/orders/Lines.tsx:5 t("statuses.nope"): statuses.nope is not in vi/orders.json',
      'app/orders/Lines.tsx:6 t("seller:listings.count"): listings.count is not in en/seller.json',
      'app/orders/Lines.tsx:6 t("seller:listings.count"): listings.count is not in vi/seller.json',
      "app/orders/Lines.tsx:6 t(`nope.${…}`): no key of en/orders.json matches nope.${…}",
      "app/orders/Lines.tsx:6 t(`nope.${…}`): no key of vi/orders.json matches nope.${…}",
    ]);
  });

  it("check server keys in any namespace the server t lists, and toast keys", () => {
    const problems = tree({
      "app/orders/notify.server.ts": `
        import { i18nInstance } from "~/i18n/index.server";
        import { redirectWithToast } from "~/utils/toast.server";
        export const text = (lng: string) => i18nInstance(lng).getFixedT(lng, ["orders", "seller"])("nav.label");
        export const wrong = (lng: string) => i18nInstance(lng).getFixedT(lng, "orders")("nav.label");
        export const toast = () => redirectWithToast("/", { key: "orders:gone" });`,
    });
    expect(problems.map((p) => `${p.at} ${p.rule} ${p.message}`)).toEqual([
      'app/orders/notify.server.ts:5 missing-key t("nav.label"): nav.label is not in en/orders.json',
      'app/orders/notify.server.ts:5 missing-key t("nav.label"): nav.label is not in vi/orders.json',
      'app/orders/notify.server.ts:6 missing-key toast("orders:gone"): gone is not in en/orders.json',
      'app/orders/notify.server.ts:6 missing-key toast("orders:gone"): gone is not in vi/orders.json',
    ]);
  });

  it("check the keys that name their namespace in a t received as a TFunction", () => {
    const problems = tree({
      "app/orders/problem-text.ts": `
        import type { TFunction } from "i18next";
        interface Asking { t: TFunction; n: number }
        export const one = (t: TFunction, code: string) => [t("orders:title"), t(code), t("nav.x"), t("orders:gone")];
        export const two = ({ t, n }: Asking) => [t("seller:listings.count", { count: n }), t("seller:nope")];
        export const three = ({ t }: { t: TFunction }, ns: string) => [t("shell.x", { ns }), t(\`orders:statuses.\${ns}\`)];`,
    });
    expect(problems.map((p) => `${p.at} ${p.message}`)).toEqual([
      'app/orders/problem-text.ts:4 t("orders:gone"): gone is not in en/orders.json',
      'app/orders/problem-text.ts:4 t("orders:gone"): gone is not in vi/orders.json',
      'app/orders/problem-text.ts:5 t("seller:nope"): nope is not in en/seller.json',
      'app/orders/problem-text.ts:5 t("seller:nope"): nope is not in vi/seller.json',
    ]);
  });

  it("refuse namespaces it cannot read, and namespaces that have no JSON", () => {
    const problems = tree({
      "app/components/X.tsx": `
        import { useTranslation } from "react-i18next";
        export function X({ ns }: { ns: string }) {
          const { t } = useTranslation(ns);
          const { t: t2 } = useTranslation("sellers");
          const { t: t3 } = useTranslation("common");
          return [t("a"), t2("b"), t3("shell.login", { ns }), t3("orders:title", { ns })];
        }`,
    });
    expect(problems.map((p) => `${p.at} ${p.rule}`)).toEqual([
      "app/components/X.tsx:4 unverifiable",
      "app/components/X.tsx:5 namespace",
      "app/components/X.tsx:7 missing-key",
      "app/components/X.tsx:7 missing-key",
      "app/components/X.tsx:7 unverifiable",
      "app/components/X.tsx:7 namespace",
    ]);
  });

  it("waive a runtime namespace only where the line before says so, with a reason", () => {
    const problems = tree({
      "app/components/X.tsx": `
        import { useTranslation } from "react-i18next";
        export function X({ ns }: { ns: string }) {
          // i18n-check: runtime namespace — the caller passes the one it loaded
          const { t } = useTranslation(ns);
          // i18n-check: runtime namespace
          const { t: t2 } = useTranslation(ns);
          return [t("a"), t2("b")];
        }`,
    });
    expect(problems.map((p) => `${p.at} ${p.rule}`)).toEqual(["app/components/X.tsx:7 unverifiable"]);
  });

  it("check <Trans> like a t() call", () => {
    const problems = tree({
      "app/routes/x.tsx": `
        import { Trans, useTranslation } from "react-i18next";
        export const handle = { i18n: ["seller"] };
        export default function X() {
          const { t } = useTranslation("seller");
          return [<Trans key="1" t={t} i18nKey="orders:title" />, <Trans key="2" ns="orders" i18nKey="title" />];
        }`,
    });
    expect(problems.map((p) => `${p.at} ${p.rule}`)).toEqual([
      "app/routes/x.tsx:3 handle", // the second Trans subscribes to orders itself
      "app/routes/x.tsx:6 namespace", // the first uses orders with the seller t
    ]);
  });

  it("want each route's handle.i18n (or a route above it) to list what its components subscribe to", () => {
    const problems = tree({
      "app/orders/Lines.tsx": `
        import { useTranslation } from "react-i18next";
        export function Lines() { const { t } = useTranslation("orders"); return t("title"); }
        export function Other() { const { t } = useTranslation("seller"); return t("nav.label"); }`,
      "app/orders/index.ts": 'export { Lines, Other } from "./Lines";',
      "app/routes/seller.tsx": `
        import { useTranslation } from "react-i18next";
        export const handle = { i18n: ["seller"] };
        export default function Layout() { const { t } = useTranslation("seller"); return t("nav.label"); }`,
      "app/routes/seller.orders._index.tsx": `
        import { Lines } from "~/orders";
        export const handle = { i18n: ["orders"] };
        export default function Page() { return <Lines />; }`,
      "app/routes/seller_.print.tsx": `
        import { Lines } from "~/orders";
        export default function Print() { return <Lines />; }`,
      "app/routes/seller.other.tsx": `
        import { Other } from "~/orders";
        export const handle = { i18n: ["seller", "payments"] };
        export default function Page() { return <Other />; }`,
    });
    expect(problems.map((p) => `${p.at} ${p.rule} ${p.message}`)).toEqual([
      'app/routes/seller_.print.tsx:2 handle route seller_.print renders a component subscribed to "orders" (app/orders/Lines.tsx:3), but handle.i18n of root › seller_.print does not list it: add it to this route\'s handle',
      'app/routes/seller.other.tsx:3 handle handle.i18n lists "payments", which has no JSON',
    ]);
  });
});

describe("Remix's flat routes", () => {
  it("name a route by its file and nest it under the routes its name starts with", () => {
    expect(routeId("app/root.tsx")).toBe("root");
    expect(routeId("app/routes/seller.orders._index.tsx")).toBe("seller.orders._index");
    expect(routeId("app/routes/setup/route.tsx")).toBe("setup");
    expect(routeId("app/orders/Lines.tsx")).toBeNull();
    const ids = ["root", "seller", "seller.orders", "seller.orders._index", "login", "login_.code", "admin.payouts"];
    expect(parentsOf("seller.orders._index", ids)).toEqual(["root", "seller", "seller.orders"]);
    expect(parentsOf("login_.code", ids)).toEqual(["root"]);
    expect(parentsOf("admin.payouts[.]csv", ids)).toEqual(["root"]);
  });
});
