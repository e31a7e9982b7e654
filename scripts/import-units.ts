/**
 * `npm run db:import-units -- <file.json> [--version X] [--source "…"]`
 *
 * Loads a complete list of administrative units (the simplified JSON of
 * github.com/thanglequoc/vietnamese-provinces-database) into the database the
 * app would use, and reports what it added or changed. Units missing from the
 * file are kept, since addresses may point at them. Safe to repeat.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { AdminUnitsDataError, importAdminUnits, parseAdminUnits } from "../app/admin-units/admin-units.server";
import { CliError, runScript, withDatabase } from "./lib/cli";

const USAGE = 'Usage: npm run db:import-units -- <file.json> [--version X] [--source "where it came from"]';

function readArgs() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { version: { type: "string" }, source: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
}

/** units-2026-07-25.json → "2026-07-25"; otherwise the first 12 hex digits of the file's SHA-256. */
function defaultVersion(file: string, content: Buffer): string {
  const date = /(\d{4}-\d{2}-\d{2})/.exec(path.basename(file));
  return date ? date[1] : `sha256-${createHash("sha256").update(content).digest("hex").slice(0, 12)}`;
}

function readUnitsFile(file: string) {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
    throw new CliError(`Cannot read ${file}: ${why}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(content.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    parseAdminUnits(data);
  } catch (error) {
    if (error instanceof AdminUnitsDataError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
  return { content, data };
}

runScript(async () => {
  const { values, positionals } = readArgs();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new CliError(`Give exactly one units file.\n${USAGE}`);
  const file = positionals[0];
  const { content, data } = readUnitsFile(file);
  const version = values.version?.trim() || defaultVersion(file, content);
  const source =
    values.source?.trim() ||
    `${path.basename(file)} (sha256 ${createHash("sha256").update(content).digest("hex").slice(0, 12)})`;

  await withDatabase(async ({ db }, description) => {
    const report = await importAdminUnits(db, data, { version, source });
    const lines = [
      `Imported ${path.basename(file)} as version ${report.version} into ${description}.`,
      `  in the file:  ${report.provinces} provinces, ${report.communes} communes`,
      `  added:        ${report.added}`,
      `  changed:      ${report.changed}`,
      `  unchanged:    ${report.unchanged}`,
    ];
    if (report.notInFile) lines.push(`  not in file:  ${report.notInFile} (kept: addresses may point at them)`);
    for (const c of report.changes.slice(0, 20)) lines.push(`    ${c.kind} ${c.code}: ${c.before} → ${c.after}`);
    if (report.changes.length > 20) lines.push(`    … and ${report.changes.length - 20} more changes`);
    if (report.added + report.changed === 0) lines.push("Nothing to change: the database already matches this file.");
    console.log(lines.join("\n"));
  });
});
