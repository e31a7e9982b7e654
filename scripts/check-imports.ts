/**
 * `npm run lint:imports`: the import rules of app/ (scripts/lib/import-rules.ts).
 * `--graph` prints which capability imports which.
 */
import { checkImports, describeGraph, readGraph } from "./lib/import-rules";

const edges = readGraph(process.cwd());
if (process.argv.includes("--graph")) console.log(describeGraph(edges));
const problems = checkImports(edges);
for (const problem of problems) console.error(`${problem.rule}: ${problem.message}`);
if (problems.length > 0) {
  console.error(`\n${problems.length} import rule(s) broken; see docs/decisions/020-capability-front-doors.md`);
  process.exit(1);
}
