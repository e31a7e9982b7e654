import { defineConfig } from "drizzle-kit";

// `npm run db:generate` diffs db/schema.ts against the committed snapshots and
// writes a new SQL migration to review and commit. It needs no database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  strict: true,
});
