/**
 * The import rules of app/ (docs/decisions/020-capability-front-doors.md),
 * checked over the real module graph that TypeScript resolves:
 *
 *  1. front-door: a route, server.js or another capability reaches a capability
 *     only through its front doors: `app/<capability>/index.server.ts` (server use
 *     cases), `app/<capability>/index.ts` (browser-safe types and vocabularies)
 *     and its components, `app/<capability>/<Component>.tsx` (a capitalised file
 *     at the folder's top). Components are not gathered in index.ts because the
 *     browser build keeps a barrel's modules together: every page would download
 *     every component of the capability. Tests may open any file.
 *  2. no-cycle: capabilities never depend on each other in a circle (A → B → A).
 *  3. browser-safe: what a browser-safe front door imports statically (all the way
 *     down) holds no zod, no `.server` module and no Node built-in. A dynamic
 *     `import()` is allowed: it loads on demand (the listing form's validation).
 *
 * The shared kernel (app/utils, app/components, app/styles) and app/routes are
 * not capabilities: anyone may import their files.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export const KERNEL = new Set(["utils", "components", "styles", "routes"]);

export interface Edge {
  from: string;
  to: string;
  /** `import type`, or every name imported is a type: erased, so it loads nothing in the browser. */
  typeOnly: boolean;
  /** A bare package (zod) or node: built-in, unresolved. */
  external: boolean;
  dynamic: boolean;
}

export interface Problem {
  rule: "front-door" | "no-cycle" | "browser-safe";
  message: string;
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file) || file.startsWith("tests/");
/** `index.ts`, `index.server.ts`, or a component (`ListingForm.tsx`) at the capability's top. */
const isFrontDoor = (inner: string) =>
  inner === "index.ts" || inner === "index.server.ts" || /^[A-Z][A-Za-z]*\.tsx$/.test(inner);

/** `app/payments/vnpay/x.ts` → `payments`; null outside a capability. */
export function capabilityOf(file: string): string | null {
  const match = /^app\/([^/]+)\//.exec(file);
  return match && !KERNEL.has(match[1]) ? match[1] : null;
}

function listFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else if (/\.(ts|tsx|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return (
      !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)
    );
  }
  const clause = node.importClause;
  if (!clause) return false; // a bare `import "x"` runs x
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** Every import and re-export of the files under app/ (and server.js), resolved as TypeScript does. */
export function readGraph(root: string): Edge[] {
  const configPath = path.join(root, "tsconfig.json");
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const host = ts.createCompilerHost(parsed.options);
  const files = [...listFiles(root, "app"), ...(fs.existsSync(path.join(root, "server.js")) ? ["server.js"] : [])];
  const edges: Edge[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    const add = (specifier: string, dynamic: boolean, typeOnly = false) => {
      const resolved = ts.resolveModuleName(specifier, path.join(root, file), parsed.options, host).resolvedModule;
      const target =
        resolved && !resolved.isExternalLibraryImport ? path.relative(root, resolved.resolvedFileName) : null;
      edges.push(
        target
          ? { from: file, to: target.split(path.sep).join("/"), external: false, dynamic, typeOnly }
          : { from: file, to: specifier, external: true, dynamic, typeOnly },
      );
    };
    const visit = (node: ts.Node) => {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        add(node.moduleSpecifier.text, false, isTypeOnly(node));
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text, true);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return edges;
}

/** Capability → the capabilities it imports (tests left out). */
export function capabilityGraph(edges: Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    const from = capabilityOf(edge.from);
    if (!from || isTest(edge.from)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    const to = edge.external ? null : capabilityOf(edge.to);
    if (!to || to === from) continue;
    graph.get(from)!.add(to);
    if (!graph.has(to)) graph.set(to, new Set());
  }
  return graph;
}

/** The groups of capabilities that reach each other (Tarjan's strongly connected components, size > 1). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const connect = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return found;
}

const isServerOnly = (edge: Edge) =>
  edge.external
    ? edge.to === "zod" || edge.to.startsWith("zod/") || edge.to.startsWith("node:")
    : /\.server\.tsx?$/.test(edge.to) || /(^|\/)\.server\//.test(edge.to);

export function checkImports(edges: Edge[]): Problem[] {
  const problems: Problem[] = [];
  for (const edge of edges) {
    if (edge.external || isTest(edge.from)) continue;
    const target = capabilityOf(edge.to);
    if (!target || target === capabilityOf(edge.from)) continue;
    if (isFrontDoor(edge.to.slice(`app/${target}/`.length))) continue;
    problems.push({
      rule: "front-door",
      message: `${edge.from} imports ${edge.to}: go through app/${target}/index.server.ts, app/${target}/index.ts or one of its components`,
    });
  }

  const graph = capabilityGraph(edges);
  for (const group of cycles(graph)) {
    const links = edges
      .filter((e) => !e.external && !isTest(e.from))
      .filter((e) => {
        const [a, b] = [capabilityOf(e.from), capabilityOf(e.to)];
        return a && b && a !== b && group.includes(a) && group.includes(b);
      })
      .map((e) => `  ${e.from} → ${e.to}`);
    problems.push({
      rule: "no-cycle",
      message: `capabilities ${group.join(", ")} import each other:\n${[...new Set(links)].join("\n")}`,
    });
  }

  const outOf = new Map<string, Edge[]>();
  for (const edge of edges) outOf.set(edge.from, [...(outOf.get(edge.from) ?? []), edge]);
  const browserDoors = [...outOf.keys()].filter(
    (f) => capabilityOf(f) && !isTest(f) && /^app\/[^/]+\/(index\.ts|[A-Z][A-Za-z]*\.tsx)$/.test(f),
  );
  for (const door of browserDoors) {
    // Breadth-first over static imports, keeping the way in for the message.
    const cameFrom = new Map<string, string>([[door, ""]]);
    const queue = [door];
    while (queue.length) {
      const file = queue.shift()!;
      for (const edge of outOf.get(file) ?? []) {
        if (edge.dynamic || edge.typeOnly) continue;
        if (isServerOnly(edge)) {
          const way = [edge.to, file];
          for (let at = cameFrom.get(file)!; at; at = cameFrom.get(at)!) way.push(at);
          problems.push({
            rule: "browser-safe",
            message: `${door} reaches ${edge.to}, which must stay out of the browser: ${way.reverse().join(" → ")}`,
          });
          continue;
        }
        if (edge.external || cameFrom.has(edge.to)) continue;
        cameFrom.set(edge.to, file);
        queue.push(edge.to);
      }
    }
  }
  return problems;
}

/** The capability graph as text: one line per capability, what it imports. */
export function describeGraph(edges: Edge[]): string {
  const graph = capabilityGraph(edges);
  return [...graph.keys()]
    .sort()
    .map((cap) => `${cap.padEnd(14)} → ${[...graph.get(cap)!].sort().join(", ") || "(nothing)"}`)
    .join("\n");
}
