/**
 * The translation rules of app/: no page ever shows a raw translation key.
 * Checked over the source with the TypeScript compiler (its binder finds which
 * `t` a call uses, and where an imported component is declared):
 *
 *  1. namespace: every `t(...)` of a component uses a namespace that component
 *     subscribes to with `useTranslation(ns | ns[])` (no argument: the default
 *     namespace). The browser loads, and waits for, only those; a key of
 *     another namespace shows raw until a full reload. The namespace of a call
 *     is the key's `ns:` prefix, else its `{ ns }` option, else the first of
 *     the list (react-i18next's fixed `t`).
 *  2. missing-key: every key written in the source (a literal, or a template
 *     such as `units.${unit}`, which must match at least one key) is in the
 *     Vietnamese and the English JSON of its namespace, with plural forms
 *     (`key_one`, `key_other`) counted when `count` is passed. Server `t`s
 *     (`getT(request, ns)`, `….getFixedT(lng, ns)`) too: every namespace is
 *     bundled there, so only the keys are checked, in any of the listed ones.
 *  3. handle: every namespace the components of a route subscribe to (those
 *     of the route module and, following static imports within app/, of the
 *     components it uses) is in `handle.i18n` of the route or of a route
 *     above it (root, layouts): hydration loads exactly those.
 *  4. unverifiable: a namespace the check cannot read (`useTranslation(ns)`
 *     with `ns` not a literal, nor a constant holding literals).
 *
 * A `t` handed to another function (`problemText(t, …)`, `translateErrors`) is
 * not followed: the callee (a parameter typed TFunction) cannot know its
 * caller's namespaces, so only its keys that name theirs (`orders:…`) are
 * checked, and not that the caller subscribes to them. Keys that reach `t` in
 * a variable (a refusal's textKey, a toast read back) are not checked; toast
 * keys are, where `redirectWithToast` is called.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface I18nProblem {
  rule: "namespace" | "missing-key" | "handle" | "unverifiable" | "unregistered";
  /** `app/routes/seller.tsx:33` */
  at: string;
  message: string;
}

export interface I18nSettings {
  defaultNS: string;
  nsSeparator: string;
  keySeparator: string;
  languages: string[];
}

/** Language → namespace → every leaf key, joined by the key separator. */
export type Locales = Map<string, Map<string, Set<string>>>;

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The i18next settings that matter here, read from app/i18n/config.ts (i18next's defaults otherwise). */
export function readSettings(root: string): Omit<I18nSettings, "languages"> {
  const settings = { defaultNS: "translation", nsSeparator: ":", keySeparator: "." };
  const file = path.join(root, "app/i18n/config.ts");
  if (!fs.existsSync(file)) return settings;
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ts.isStringLiteralLike(node.initializer)) {
      const name = node.name.text;
      if (name === "defaultNS" || name === "nsSeparator" || name === "keySeparator") {
        settings[name] = node.initializer.text;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return settings;
}

/** app/i18n/locales/<lng>/<ns>.json, flattened. */
export function readLocales(root: string, keySeparator = "."): Locales {
  const dir = path.join(root, "app/i18n/locales");
  const locales: Locales = new Map();
  if (!fs.existsSync(dir)) return locales;
  for (const lng of fs.readdirSync(dir).sort()) {
    if (!fs.statSync(path.join(dir, lng)).isDirectory()) continue;
    const namespaces = new Map<string, Set<string>>();
    for (const file of fs.readdirSync(path.join(dir, lng)).sort()) {
      if (!file.endsWith(".json")) continue;
      const keys = new Set<string>();
      const flatten = (value: unknown, prefix: string) => {
        if (value && typeof value === "object" && !Array.isArray(value)) {
          for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}${keySeparator}${k}` : k);
        } else keys.add(prefix);
      };
      flatten(JSON.parse(fs.readFileSync(path.join(dir, lng, file), "utf8")), "");
      namespaces.set(file.slice(0, -".json".length), keys);
    }
    locales.set(lng, namespaces);
  }
  return locales;
}

function listFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(path.join(root, dir))) return out;
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") && !/\.test\.tsx?$/.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

/**
 * Where a `t` comes from: a component's hook (namespaces it subscribes to), the
 * server (all bundled), or a parameter typed TFunction (the caller's: only keys
 * that name their namespace can be checked).
 */
interface TSource {
  kind: "hook" | "server" | "parameter";
  /** null: not readable (reported once, where the hook is called). */
  namespaces: string[] | null;
}

/** A key as written; a template's `${…}` parts stay as `${…}` and match anything. */
interface KeyArg {
  node: ts.Node;
  text: string;
}

const unwrap = (node: ts.Expression): ts.Expression => {
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isTypeAssertionExpression(node)
  ) {
    node = node.expression;
  }
  return node;
};

const DYNAMIC = "${…}";
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function checkI18n(root: string, overrides: Partial<I18nSettings> = {}): I18nProblem[] {
  const base = readSettings(root);
  const locales = readLocales(root, overrides.keySeparator ?? base.keySeparator);
  const settings: I18nSettings = { ...base, languages: [...locales.keys()], ...overrides };
  const known = new Set([...locales.values()].flatMap((namespaces) => [...namespaces.keys()]));

  const configPath = path.join(root, "tsconfig.json");
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const files = listFiles(root, "app");
  // Only app/'s own files: imports of packages stay unresolved, which the
  // binder tolerates, and the check needs no declaration files.
  const program = ts.createProgram(
    files.map((f) => path.join(root, f)),
    { ...parsed.options, noLib: true, noResolve: true, types: [], noEmit: true },
  );
  const checker = program.getTypeChecker();
  const rel = (sf: ts.SourceFile) => path.relative(root, sf.fileName).split(path.sep).join("/");
  const at = (node: ts.Node) => {
    const sf = node.getSourceFile();
    return `${rel(sf)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };
  const problems: I18nProblem[] = [];
  // A namespace file the app never loads shows its keys raw on every page that asks for it.
  const registry = path.join(root, "app/i18n/resources.server.ts");
  if (fs.existsSync(registry)) {
    const registered = fs.readFileSync(registry, "utf8");
    for (const [lng, namespaces] of locales)
      for (const ns of namespaces.keys())
        if (!registered.includes(`./locales/${lng}/${ns}.json`))
          problems.push({
            rule: "unregistered",
            at: "app/i18n/resources.server.ts",
            message: `${lng}/${ns}.json is not imported: add it to resources`,
          });
  }
  const report = (rule: I18nProblem["rule"], node: ts.Node, message: string) => {
    // A namespace only known at run time, said so on the line before with the reason.
    if (rule === "unverifiable" && vouchedFor(node)) return;
    problems.push({ rule, at: at(node), message });
  };

  const symbolOf = (node: ts.Node) => checker.getSymbolAtLocation(node);

  /** String literals of an expression: a literal, an array of them, or a constant that holds either. */
  const literals = (expr: ts.Expression | undefined, seen = new Set<ts.Node>()): string[] | null => {
    if (!expr) return null;
    expr = unwrap(expr);
    if (ts.isStringLiteralLike(expr)) return [expr.text];
    if (ts.isArrayLiteralExpression(expr)) {
      const out: string[] = [];
      for (const element of expr.elements) {
        const inner = literals(element, seen);
        if (!inner || inner.length !== 1) return null;
        out.push(inner[0]);
      }
      return out;
    }
    if (ts.isIdentifier(expr) && !seen.has(expr)) {
      seen.add(expr);
      let symbol = symbolOf(expr);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.valueDeclaration;
      if (
        decl &&
        ts.isVariableDeclaration(decl) &&
        decl.initializer &&
        ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const
      ) {
        return literals(decl.initializer, seen);
      }
    }
    return null;
  };

  /** Where a component subscribes to namespaces: useTranslation(…) calls, and <Trans> without a t. */
  const subscriptionsAt = new Map<ts.Node, TSource>();
  /** `t` variables and `useTranslation()` results, by symbol. */
  const tSymbols = new Map<ts.Symbol, TSource>();
  const hookObjects = new Map<ts.Symbol, TSource>();
  /** `getFixedT(…)(key)` and `useTranslation().t(key)`: calls of a `t` that has no name. */
  const directCalls = new Map<ts.CallExpression, TSource>();

  /** What receives the value of `expr`: a variable, a destructuring, or one slot of `await Promise.all([…])`. */
  const receiver = (expr: ts.Expression): { name: ts.BindingName | null; call: ts.CallExpression | null } => {
    let node: ts.Node = expr;
    while (
      node.parent &&
      (ts.isAwaitExpression(node.parent) ||
        ts.isParenthesizedExpression(node.parent) ||
        ts.isAsExpression(node.parent) ||
        ts.isNonNullExpression(node.parent))
    ) {
      node = node.parent;
    }
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) && parent.initializer === node) return { name: parent.name, call: null };
    if (ts.isCallExpression(parent) && parent.expression === node) return { name: null, call: parent };
    if (ts.isArrayLiteralExpression(parent)) {
      const all = parent.parent;
      if (
        ts.isCallExpression(all) &&
        ts.isPropertyAccessExpression(all.expression) &&
        all.expression.name.text === "all" &&
        ts.isIdentifier(all.expression.expression) &&
        all.expression.expression.text === "Promise"
      ) {
        const outer = receiver(all);
        const index = parent.elements.indexOf(node as ts.Expression);
        if (outer.name && ts.isArrayBindingPattern(outer.name)) {
          const element = outer.name.elements[index];
          if (element && ts.isBindingElement(element)) return { name: element.name, call: null };
        }
      }
    }
    return { name: null, call: null };
  };

  const bindT = (name: ts.BindingName | null, source: TSource) => {
    if (name && ts.isIdentifier(name)) {
      const symbol = symbolOf(name);
      if (symbol) tSymbols.set(symbol, source);
    }
  };

  const sourceFiles = files.map((f) => program.getSourceFile(path.join(root, f))!).filter(Boolean);

  // Pass 1: where `t`s come from.
  for (const sf of sourceFiles) {
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isIdentifier(callee) && callee.text === "useTranslation") {
          const arg = node.arguments[0];
          const namespaces = arg ? literals(arg) : [settings.defaultNS];
          if (!namespaces || namespaces.length === 0) {
            report("unverifiable", node, "useTranslation's namespaces are not literals: the check cannot see them");
          } else {
            for (const ns of namespaces) {
              if (!known.has(ns)) report("namespace", node, `useTranslation subscribes to "${ns}", which has no JSON`);
            }
          }
          const source: TSource = { kind: "hook", namespaces: namespaces?.length ? namespaces : null };
          subscriptionsAt.set(node, source);
          const { name, call } = receiver(node);
          if (name && ts.isIdentifier(name)) {
            const symbol = symbolOf(name);
            if (symbol) hookObjects.set(symbol, source);
          } else if (name && ts.isObjectBindingPattern(name)) {
            for (const element of name.elements) {
              const property = element.propertyName ?? element.name;
              if (ts.isIdentifier(property) && property.text === "t") bindT(element.name, source);
            }
          } else if (name && ts.isArrayBindingPattern(name)) {
            const first = name.elements[0];
            if (first && ts.isBindingElement(first)) bindT(first.name, source);
          } else if (!call && ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === "t") {
            const use = receiver(node.parent);
            if (use.call) directCalls.set(use.call, source);
            else bindT(use.name, source);
          }
        } else if (
          (ts.isIdentifier(callee) && callee.text === "getT") ||
          (ts.isPropertyAccessExpression(callee) && callee.name.text === "getFixedT")
        ) {
          const arg = node.arguments[1];
          const namespaces = arg ? literals(arg) : [settings.defaultNS];
          const source: TSource = { kind: "server", namespaces: namespaces?.length ? namespaces : null };
          const { name, call } = receiver(node);
          if (call) directCalls.set(call, source);
          else bindT(name, source);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  const keyArgs = (expr: ts.Expression | undefined, seen = new Set<ts.Node>()): KeyArg[] | null => {
    if (!expr) return null;
    expr = unwrap(expr);
    if (ts.isIdentifier(expr) && !seen.has(expr)) {
      // const key = audience === "buyer" ? "page.confirmBy" : "seller.confirmBy"
      seen.add(expr);
      const decl = symbolOf(expr)?.valueDeclaration;
      const isConst = decl && ts.isVariableDeclaration(decl) && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const;
      return isConst && decl.initializer ? keyArgs(decl.initializer, seen) : null;
    }
    if (ts.isStringLiteralLike(expr)) return [{ node: expr, text: expr.text }];
    if (ts.isTemplateExpression(expr)) {
      const parts = [expr.head.text, ...expr.templateSpans.map((s) => s.literal.text)];
      return [{ node: expr, text: parts.join(DYNAMIC) }];
    }
    if (ts.isConditionalExpression(expr)) {
      const a = keyArgs(expr.whenTrue, seen);
      const b = keyArgs(expr.whenFalse, seen);
      return a && b ? [...a, ...b] : null;
    }
    return null; // a variable: what it holds is not known here
  };

  const hasKey = (keys: Set<string>, key: string, options: { count: boolean; context: boolean; objects: boolean }) => {
    if (keys.has(key)) return true;
    for (const k of keys) {
      if (options.count && PLURAL.test(k) && k.replace(PLURAL, "") === key) return true;
      if (options.context && k.startsWith(`${key}_`)) return true;
      if (options.objects && k.startsWith(`${key}${settings.keySeparator}`)) return true;
    }
    return false;
  };
  const matchesKey = (keys: Set<string>, pattern: RegExp) => {
    for (const k of keys) if (pattern.test(k) || pattern.test(k.replace(PLURAL, ""))) return true;
    return false;
  };

  /** i18next reads `ns:key` as a namespace only when the key looks like a path (no spaces, commas…). */
  const splitNamespace = (key: string): [string | null, string] => {
    const i = key.indexOf(settings.nsSeparator);
    if (!settings.nsSeparator || i < 0) return [null, key];
    const natural = /[ ,?!;]/;
    const beforeKey = key.indexOf(settings.keySeparator);
    const looksLikePath = !natural.test(key) || (beforeKey > 0 && !natural.test(key.slice(0, beforeKey)));
    if (!looksLikePath) return [null, key];
    return [key.slice(0, i), key.slice(i + settings.nsSeparator.length)];
  };

  const checkCall = (call: ts.CallExpression, source: TSource, who: string) =>
    checkKeys(call.arguments[0], undefined, call.arguments[1], source, who);

  /** A key (and the call's options, or a <Trans ns>) against the namespaces of its `t`. */
  const checkKeys = (
    keyExpr: ts.Expression | undefined,
    nsExpr: ts.Expression | undefined,
    optionsExpr: ts.Expression | null | undefined,
    source: TSource,
    who: string,
  ) => {
    const options = optionsExpr && unwrap(optionsExpr);
    /** The ns option (or <Trans ns>); `unreadable` when it is there but not literals. */
    let optionNs: string[] | "unreadable" | null = nsExpr ? (literals(nsExpr) ?? "unreadable") : null;
    const flags = { count: false, context: false, objects: false };
    if (options && ts.isObjectLiteralExpression(options)) {
      for (const property of options.properties) {
        const name = property.name && ts.isIdentifier(property.name) ? property.name.text : null;
        if (name === "count") flags.count = true;
        if (name === "context") flags.context = true;
        if (name === "returnObjects") flags.objects = true;
        if (name === "ns") {
          const value = ts.isPropertyAssignment(property)
            ? property.initializer
            : ts.isShorthandPropertyAssignment(property)
              ? property.name
              : undefined;
          optionNs = literals(value) ?? "unreadable";
        }
      }
    }
    const keys = keyArgs(keyExpr);
    if (!keys) {
      // A key in a variable: what it holds is not known here, but not the namespace it is looked up in.
      const unsubscribed =
        source.kind === "hook" && source.namespaces && Array.isArray(optionNs)
          ? optionNs.filter((ns) => !source.namespaces!.includes(ns))
          : [];
      for (const ns of unsubscribed) {
        report(
          "namespace",
          keyExpr ?? optionsExpr!,
          `${who}(…, { ns: "${ns}" }) uses namespace "${ns}", but its component subscribes only to ${JSON.stringify(source.namespaces)}: add "${ns}" to its useTranslation(…)`,
        );
      }
      return;
    }
    for (const key of keys) {
      const shown = key.text.includes(DYNAMIC) ? `\`${key.text}\`` : `"${key.text}"`;
      const [prefix, rest] = splitNamespace(key.text);
      if (prefix?.includes(DYNAMIC)) continue; // the namespace itself is computed
      const keyText = prefix !== null ? rest : key.text;
      let lookIn: string[] | null;
      if (prefix !== null) lookIn = [prefix];
      else if (optionNs === "unreadable") {
        // The key cannot be looked up; for a component's t, nor can what it must subscribe to.
        if (source.kind === "hook") {
          report("unverifiable", key.node, `${who}(${shown}): its ns is not a literal: the check cannot see it`);
        }
        continue;
      } else if (optionNs) lookIn = optionNs;
      else if (source.namespaces) lookIn = source.kind === "hook" ? [source.namespaces[0]] : source.namespaces;
      else lookIn = null;
      if (!lookIn) continue; // the hook's namespaces are unreadable: reported there
      if (source.kind === "hook" && source.namespaces) {
        for (const ns of lookIn) {
          if (!source.namespaces.includes(ns)) {
            report(
              "namespace",
              key.node,
              `${who}(${shown}) uses namespace "${ns}", but its component subscribes only to ${JSON.stringify(source.namespaces)}: add "${ns}" to its useTranslation(…)`,
            );
          }
        }
      }
      const pattern = keyText.includes(DYNAMIC)
        ? new RegExp(`^${keyText.split(DYNAMIC).map(escapeRegExp).join(".+")}$`)
        : null;
      for (const lng of settings.languages) {
        const namespaces = locales.get(lng)!;
        const found = lookIn.some((ns) => {
          const keysOfNs = namespaces.get(ns);
          if (!keysOfNs) return false;
          return pattern ? matchesKey(keysOfNs, pattern) : hasKey(keysOfNs, keyText, flags);
        });
        if (!found) {
          const where = lookIn.map((ns) => `${lng}/${ns}.json`).join(" or ");
          report(
            "missing-key",
            key.node,
            pattern
              ? `${who}(${shown}): no key of ${where} matches ${keyText}`
              : `${who}(${shown}): ${keyText} is not in ${where}`,
          );
        }
      }
    }
  };

  /** A parameter `t: TFunction`, or `{ t }: Props` where Props says `t: TFunction`. */
  const PARAMETER: TSource = { kind: "parameter", namespaces: null };
  const saysTFunction = (type: ts.TypeNode | undefined) =>
    !!type && ts.isTypeReferenceNode(type) && /^(i18next\.)?TFunction$/.test(type.typeName.getText());
  const isTFunction = (symbol: ts.Symbol): boolean => {
    const decl = symbol.valueDeclaration;
    if (!decl) return false;
    if (ts.isParameter(decl)) return saysTFunction(decl.type);
    if (!ts.isBindingElement(decl) || !ts.isObjectBindingPattern(decl.parent)) return false;
    const parameter = decl.parent.parent;
    if (!ts.isParameter(parameter) || !parameter.type) return false;
    const property = (decl.propertyName ?? decl.name).getText();
    let members: ts.NodeArray<ts.TypeElement> | undefined;
    if (ts.isTypeLiteralNode(parameter.type)) members = parameter.type.members;
    else if (ts.isTypeReferenceNode(parameter.type)) {
      const declared = symbolOf(parameter.type.typeName)?.declarations?.[0];
      if (declared && ts.isInterfaceDeclaration(declared)) members = declared.members;
      else if (declared && ts.isTypeAliasDeclaration(declared) && ts.isTypeLiteralNode(declared.type)) {
        members = declared.type.members;
      }
    }
    const member = members?.find((m) => m.name?.getText() === property);
    return !!member && ts.isPropertySignature(member) && saysTFunction(member.type);
  };

  // Pass 2: the calls of those `t`s, and <Trans>.
  for (const sf of sourceFiles) {
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const direct = directCalls.get(node);
        if (direct) checkCall(node, direct, "t");
        else if (ts.isIdentifier(callee)) {
          const symbol = symbolOf(callee);
          const source = symbol && (tSymbols.get(symbol) ?? (isTFunction(symbol) ? PARAMETER : undefined));
          if (source) checkCall(node, source, callee.text);
        } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === "t") {
          const symbol = symbolOf(callee.expression);
          const source = symbol && hookObjects.get(symbol);
          if (source) checkCall(node, source, `${callee.expression.getText()}.t`);
        }
        if (ts.isIdentifier(callee) && callee.text === "redirectWithToast") checkToast(node);
      }
      if ((ts.isJsxSelfClosingElement(node) || ts.isJsxOpeningElement(node)) && node.tagName.getText() === "Trans") {
        checkTrans(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  function jsxAttribute(node: ts.JsxOpeningLikeElement, name: string): ts.Expression | null | undefined {
    for (const attribute of node.attributes.properties) {
      if (ts.isJsxAttribute(attribute) && attribute.name.getText() === name) {
        const init = attribute.initializer;
        if (!init) return null;
        if (ts.isStringLiteral(init)) return init;
        if (ts.isJsxExpression(init)) return init.expression ?? null;
        return null;
      }
    }
    return undefined;
  }

  /**
   * redirectWithToast(url, { key: "ns:key", values }): the app shell shows it
   * with its own `t` (the default namespace), so only the key is checked here.
   */
  function checkToast(call: ts.CallExpression) {
    const toast = call.arguments[1] && unwrap(call.arguments[1]);
    if (!toast || !ts.isObjectLiteralExpression(toast)) return;
    const property = (name: string) => {
      const found = toast.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
      return found && ts.isPropertyAssignment(found) ? found.initializer : undefined;
    };
    const key = property("key");
    if (key)
      checkKeys(key, undefined, property("values"), { kind: "server", namespaces: [settings.defaultNS] }, "toast");
  }

  /** <Trans i18nKey="…" ns="…" t={t}>: the same rules as a t() call. */
  function checkTrans(node: ts.JsxOpeningLikeElement) {
    const key = jsxAttribute(node, "i18nKey");
    if (!key) return;
    const tProp = jsxAttribute(node, "t");
    const nsProp = jsxAttribute(node, "ns");
    let source: TSource | undefined;
    if (tProp) {
      const symbol = ts.isIdentifier(tProp) ? symbolOf(tProp) : undefined;
      source = symbol && tSymbols.get(symbol);
      if (!source) return; // a t from elsewhere: not followed
    } else {
      // Without a t, Trans subscribes itself to its ns (or the default namespace).
      const namespaces = nsProp ? literals(nsProp) : [settings.defaultNS];
      if (!namespaces?.length) {
        report("unverifiable", node, "<Trans ns> is not a literal: the check cannot see it");
        return;
      }
      source = { kind: "hook", namespaces };
      subscriptionsAt.set(node, source);
    }
    checkKeys(key, nsProp && tProp ? nsProp : undefined, null, source, "<Trans>");
  }

  checkHandles(root, checker, sourceFiles, subscriptionsAt, known, report);
  return problems.sort((a, b) => a.at.localeCompare(b.at, "en", { numeric: true }));
}

/** `app/routes/seller.orders._index.tsx` → `seller.orders._index`; `app/root.tsx` → `root`. */
export function routeId(file: string): string | null {
  if (/^app\/root\.tsx?$/.test(file)) return "root";
  const flat = /^app\/routes\/([^/]+)\.tsx?$/.exec(file);
  if (flat) return flat[1];
  const folder = /^app\/routes\/([^/]+)\/route\.tsx?$/.exec(file);
  return folder ? folder[1] : null;
}

/** The routes above a route, nearest last: root, then each id that prefixes it at a dot (Remix's flat routes). */
export function parentsOf(id: string, ids: string[]): string[] {
  if (id === "root") return [];
  const parent = ids
    .filter((other) => other !== "root" && other !== id && id.startsWith(`${other}.`))
    .sort((a, b) => b.length - a.length)[0];
  return parent ? [...parentsOf(parent, ids), parent] : ["root"];
}

function checkHandles(
  root: string,
  checker: ts.TypeChecker,
  sourceFiles: ts.SourceFile[],
  subscriptionsAt: Map<ts.Node, TSource>,
  known: Set<string>,
  report: (rule: I18nProblem["rule"], node: ts.Node, message: string) => void,
) {
  const rel = (sf: ts.SourceFile) => path.relative(root, sf.fileName).split(path.sep).join("/");
  const routes = new Map<string, ts.SourceFile>();
  for (const sf of sourceFiles) {
    const id = routeId(rel(sf));
    if (id) routes.set(id, sf);
  }

  /** The namespaces `export const handle = { i18n: […] }` lists, by route. */
  const handles = new Map<string, string[]>();
  for (const [id, sf] of routes) {
    const namespaces: string[] = [];
    for (const statement of sf.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name) || decl.name.text !== "handle" || !decl.initializer) continue;
        const init = unwrap(decl.initializer);
        const i18n =
          ts.isObjectLiteralExpression(init) &&
          init.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "i18n");
        if (!i18n) continue;
        const value =
          ts.isPropertyAssignment(i18n) && ts.isArrayLiteralExpression(unwrap(i18n.initializer))
            ? (unwrap(i18n.initializer) as ts.ArrayLiteralExpression).elements.map((e) => unwrap(e))
            : ts.isPropertyAssignment(i18n)
              ? [unwrap(i18n.initializer)]
              : [];
        for (const element of value) {
          if (ts.isStringLiteralLike(element)) {
            namespaces.push(element.text);
            if (!known.has(element.text)) {
              report("handle", element, `handle.i18n lists "${element.text}", which has no JSON`);
            }
          } else report("unverifiable", element, "handle.i18n holds something other than a literal");
        }
      }
    }
    handles.set(id, namespaces);
  }

  const ids = [...routes.keys()];
  const isServer = (sf: ts.SourceFile) => /\.server\.tsx?$/.test(sf.fileName) || /\/\.server\//.test(sf.fileName);
  const inApp = new Set(sourceFiles);
  const topLevel = (node: ts.Node): ts.Statement | null => {
    while (node.parent && !ts.isSourceFile(node.parent)) node = node.parent;
    return node.parent && ts.isSourceFile(node.parent) ? (node as ts.Statement) : null;
  };

  /** Every useTranslation the statements reach, through the identifiers they use (imports followed). */
  const subscriptions = (start: ts.Statement[]) => {
    const seen = new Set<ts.Statement>(start);
    const queue = [...start];
    const found = new Map<string, ts.Node>();
    const visit = (node: ts.Node) => {
      if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      for (const ns of subscriptionsAt.get(node)?.namespaces ?? []) if (!found.has(ns)) found.set(ns, node);
      if (ts.isIdentifier(node)) {
        let symbol = checker.getSymbolAtLocation(node);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
          try {
            symbol = checker.getAliasedSymbol(symbol);
          } catch {
            symbol = undefined;
          }
        }
        for (const decl of symbol?.declarations ?? []) {
          const sf = decl.getSourceFile();
          if (!inApp.has(sf) || isServer(sf)) continue;
          const statement = topLevel(decl);
          if (statement && !seen.has(statement)) {
            seen.add(statement);
            queue.push(statement);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    while (queue.length) visit(queue.shift()!);
    return found;
  };

  for (const [id, sf] of routes) {
    const chain = [...parentsOf(id, ids), id];
    const listed = new Set(chain.flatMap((r) => handles.get(r) ?? []));
    const start = sf.statements.filter((s) => !ts.isImportDeclaration(s) && !ts.isExportDeclaration(s));
    for (const [ns, call] of subscriptions(start)) {
      if (listed.has(ns) || !known.has(ns)) continue;
      const from =
        call.getSourceFile() === sf
          ? ""
          : ` (${rel(call.getSourceFile())}:${call.getSourceFile().getLineAndCharacterOfPosition(call.getStart()).line + 1})`;
      const anchor =
        sf.statements.find(
          (s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => d.name.getText() === "handle"),
        ) ?? (call.getSourceFile() === sf ? call : sf.statements[0]);
      report(
        "handle",
        anchor,
        `route ${id} renders a component subscribed to "${ns}"${from}, but handle.i18n of ${chain.join(" › ")} does not list it: add it to this route's handle`,
      );
    }
  }
}

/**
 * `// i18n-check: runtime namespace — <why>` on the line before a call: its
 * namespace is chosen at run time and the component still subscribes to it
 * (the toast, whose key names its namespace). Only "unverifiable" is waived.
 */
function vouchedFor(node: ts.Node): boolean {
  const source = node.getSourceFile();
  const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  if (line === 0) return false;
  const previous = source.text.split("\n")[line - 1] ?? "";
  return /\/\/ i18n-check: runtime namespace\b.{4,}/.test(previous);
}
