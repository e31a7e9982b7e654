/**
 * `npm run lint:i18n`: no page shows a raw translation key (scripts/lib/i18n-rules.ts):
 * every t() uses a namespace its component subscribes to, every key is in both
 * languages, and every route's handle.i18n lists what its components subscribe to.
 */
import { checkI18n } from "./lib/i18n-rules";

const started = performance.now();
const problems = checkI18n(process.cwd());
for (const problem of problems) console.error(`${problem.at}: ${problem.rule}: ${problem.message}`);
if (problems.length > 0) {
  console.error(`\n${problems.length} translation problem(s); see CONTRIBUTING.md, "A translation"`);
  process.exit(1);
}
if (process.argv.includes("--time")) console.log(`i18n check: ${Math.round(performance.now() - started)} ms`);
