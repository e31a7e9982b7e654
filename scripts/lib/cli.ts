/**
 * What the database scripts share: the database chosen by the same environment
 * variables as the app, and errors printed as one readable message.
 */
import { parseArgs } from "node:util";
import {
  DatabaseInUseError,
  DatabaseUnavailableError,
  describeDatabase,
  openDatabase,
  type DatabaseConfig,
  type DatabaseHandle,
} from "#db/client";

/** A problem the person running the script can fix; printed without a stack trace. */
export class CliError extends Error {
  name = "CliError";
}

type FlagSpec = Record<string, { type: "string" | "boolean" }>;

/**
 * `--name value` / `--flag` options, strictly: an unknown or incomplete one is
 * a CliError that ends with how to call the script.
 */
export function parseFlags<const O extends FlagSpec>(options: O, usage: string, args = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // Node's message goes on about positionals after "--": its first sentence is the point.
    const what = error instanceof Error ? error.message.split(/\.\s/)[0].replace(/\.$/, "") : String(error);
    throw new CliError(`${what}; usage: ${usage}`);
  }
}

/**
 * DATABASE_URL and DATA_DIR as the app reads them. Deliberately not the app's full
 * env check: a migration step in a release pipeline needs no SESSION_SECRET.
 */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim() || undefined;
  if (url && !/^(postgres(ql)?:\/\/|memory:\/\/)/.test(url)) {
    throw new CliError(
      "DATABASE_URL must start with postgres:// (PostgreSQL), or be unset to use the embedded database.",
    );
  }
  return { url, dataDir: env.DATA_DIR?.trim() || "./data", poolMax: 2 };
}

/** Opens (and by default migrates) the database, runs `work`, and always closes it. */
export async function withDatabase<T>(
  work: (handle: DatabaseHandle, description: string) => Promise<T>,
  { config = databaseConfigFromEnv(), migrate = true } = {},
): Promise<T> {
  const description = describeDatabase(config);
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({
      onLockWait: (pid, waitMs) =>
        console.log(
          `The embedded database is open in process ${pid}: waiting up to ${waitMs / 1000} s for it to close…`,
        ),
      ...config,
    });
  } catch (error) {
    if (error instanceof DatabaseInUseError || error instanceof DatabaseUnavailableError)
      throw new CliError(error.message);
    throw new CliError(`Cannot open ${description}: ${messageOf(error)}`);
  }
  try {
    if (migrate) await handle.migrate();
    return await work(handle, description);
  } finally {
    await handle.close();
  }
}

/** Drizzle's "Failed query: …" repeats the whole statement and its parameters; the cause says what went wrong. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

/** Runs a script's main function: a readable message and exit code 1 on failure. */
export function runScript(main: () => Promise<void>) {
  main().catch((error: unknown) => {
    console.error(`Error: ${messageOf(error)}`);
    if (!(error instanceof CliError) && process.env.DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  });
}
