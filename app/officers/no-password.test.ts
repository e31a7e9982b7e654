/**
 * An officer never sees or sets a farmer's password (issue 16, hand-over):
 * no route an officer reaches — their workspace, and the farmer's own screens
 * mounted under /officer/h/:householdId — nor the officers' domain code
 * touches a password. The farmer sets theirs on their own phone (/signup,
 * /password/forgot → /password/new), which no officer route leads to.
 * admin.server.ts is an admin's (it makes the officer's own account, without one).
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const PASSWORD = /passwordHash|password_hash|setPasswordWithProof|hashPassword|newPasswordSchema|["']\/password\//;

const files = () => {
  const routes = fs
    .readdirSync("app/routes")
    .filter((f) => /^(officer|__acting|seller|setup)[._]/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join("app/routes", f));
  const officers = fs
    .readdirSync("app/officers")
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && f !== "admin.server.ts")
    .map((f) => path.join("app/officers", f));
  return [...routes, ...officers];
};

it("no officer route nor officer code touches a password", () => {
  const found = files();
  expect(found).toEqual(expect.arrayContaining(["app/routes/officer.tsx", "app/routes/seller_.handover.tsx"]));
  const touching = found.filter((file) => PASSWORD.test(fs.readFileSync(file, "utf8")));
  expect(touching).toEqual([]);
});
