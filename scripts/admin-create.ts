/**
 * `npm run admin:create -- --phone 09xxxxxxxx [--name "Họ và tên"] [--promote]`:
 * the first admin of a real deployment, whose database starts empty (the
 * server never seeds; ADR 018). Creates an admin account for that phone and
 * prints its generated password once. A phone that already has an account is
 * refused, unless --promote makes that account an admin (see ./lib/admin-account).
 * On the embedded database, stop the app first: one process at a time.
 */
import { formatPhone, parseVietnameseMobile } from "../app/utils/phone";
import { createAdmin, DEFAULT_ADMIN_NAME } from "./lib/admin-account";
import { CliError, parseFlags, runScript, withDatabase } from "./lib/cli";

const USAGE = 'npm run admin:create -- --phone 09xxxxxxxx [--name "Họ và tên"] [--promote]';

const PHONE_PROBLEMS: Record<string, string> = {
  empty: "--phone is required",
  invalid: "is not a Vietnamese mobile number",
  landline: "is a landline, and sign-in codes go by SMS: give a mobile number",
  old_prefix: "is an old 11-digit number, renumbered to 10 digits in 2018",
  foreign: "is not a Vietnamese number",
};

runScript(async () => {
  const flags = parseFlags(
    { phone: { type: "string" }, name: { type: "string" }, promote: { type: "boolean" } },
    USAGE,
  );
  const phone = parseVietnameseMobile(flags.phone);
  if (!phone.ok) {
    const problem = PHONE_PROBLEMS[phone.problem];
    throw new CliError(phone.problem === "empty" ? `${problem}; usage: ${USAGE}` : `"${flags.phone}" ${problem}.`);
  }
  const fullName = flags.name?.normalize("NFC").trim();
  if (fullName !== undefined && !(fullName.length >= 2 && fullName.length <= 100 && /\p{L}/u.test(fullName)))
    throw new CliError("--name must be the person's name, 2 to 100 characters.");

  await withDatabase(async ({ db }, description) => {
    console.log(`Database: ${description}`);
    const result = await createAdmin(db, { phone: phone.e164, fullName, promote: flags.promote === true });
    const who = formatPhone(phone.e164);
    if (result.outcome === "already-admin") {
      console.log(`${who} is already an admin; nothing changed.`);
      return;
    }
    console.log(
      result.outcome === "created"
        ? `Created an admin account for ${who} (${fullName ?? DEFAULT_ADMIN_NAME}).`
        : `${who} was a ${result.previousRole} and is now an admin.`,
    );
    if (result.password) {
      console.log(`Password: ${result.password}`);
      console.log("It is shown only this once: sign in at /login with it and change it to one of your own.");
    } else {
      console.log("It signs in with its own password, as before.");
    }
  });
});
