/**
 * `npm run db:seed`: adds the demo marketplace (Hải Phòng farm households with
 * published stalls, and a buyer, an officer and an admin) to the database the
 * app would use. Safe to repeat: what is already there is left alone.
 */
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../db/seed/demo";
import { CliError, runScript, withDatabase } from "./lib/cli";

runScript(async () => {
  // The demo admin's password is public (it is in the README).
  if (process.env.NODE_ENV === "production" && !process.argv.includes("--force")) {
    throw new CliError(
      "NODE_ENV is production: the demo accounts share a published password. Add --force if you really want them here.",
    );
  }
  await withDatabase(async ({ db }, description) => {
    console.log(`Database: ${description}`);
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
