/**
 * `npm run db:seed`: adds the demo marketplace (Hải Phòng farm households with
 * published stalls, and a buyer, an officer and an admin) to the database the
 * app would use, where ./lib/demo-policy allows it: the embedded database, or
 * wherever SEED_DEMO=true asks. Safe to repeat: what is already there is left
 * alone. The server never seeds (ADR 018).
 *
 * --if-empty (what `npm start` runs before the server): only into a database
 * without accounts, and where the demo may not go, say so in one line and
 * exit 0. --force: also into PostgreSQL with NODE_ENV=production.
 */
import { CliError, parseFlags, runScript, withDatabase } from "./lib/cli";
import { whyNotSeedDemo } from "./lib/demo-policy";

const USAGE = "npm run db:seed [-- --if-empty] [--force]";

runScript(async () => {
  const flags = parseFlags({ "if-empty": { type: "boolean" }, force: { type: "boolean" } }, USAGE);
  const ifEmpty = flags["if-empty"] === true;
  const refusal = whyNotSeedDemo(process.env, { force: flags.force === true });
  if (refusal) {
    if (!ifEmpty) throw new CliError(refusal);
    console.log(refusal);
    return;
  }
  // Loaded only when it is needed: the seed brings the product drawings and the photo pipeline.
  const { DEMO_ACCOUNTS, DEMO_PASSWORD, hasAccounts, seedDemo } = await import("#db/seed/demo");
  await withDatabase(async ({ db }, description) => {
    if (ifEmpty && (await hasAccounts(db))) {
      console.log(`Demo not seeded: ${description} already has accounts.`);
      return;
    }
    console.log(
      ifEmpty ? `Seeding the demo marketplace into ${description}: about half a minute…` : `Database: ${description}`,
    );
    const summary = await seedDemo(db);
    if (summary.users + summary.households + summary.stalls + summary.listings === 0) {
      console.log("The demo is already there; nothing added.");
    } else {
      console.log(
        `Added ${summary.users} accounts, ${summary.households} households, ${summary.stalls} published stalls ` +
          `and ${summary.listings} listings with photos` +
          (summary.alreadyPresent
            ? ` (${summary.alreadyPresent} accounts, stalls or listings were already there).`
            : "."),
      );
    }
    console.log(`\nDemo accounts (password for all: ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) {
      console.log(`  ${a.role.padEnd(8)} ${a.phone}  ${a.fullName}${a.stallSlug ? `  /s/${a.stallSlug}` : ""}`);
    }
  });
});
