/**
 * npm run import -- <dir> [--kind <kind>] [--system <slug>] [--skip-invalid] [--prefix <slug-prefix>]
 * Imports a folder of Markdown (recursively) and, if present, its catalog/ YAML. See README.md.
 */
import { parseArgs } from "node:util";
import path from "node:path";
import { runCli } from "./cli";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: "string" },
    system: { type: "string" },
    "skip-invalid": { type: "boolean", default: false },
    prefix: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help || positionals.length !== 1) {
  console.log(
    "usage: npm run import -- <dir> [--kind runbook|contingency_plan|postmortem|inspection_report|drill_report|article] [--system <slug>] [--skip-invalid] [--prefix <slug-prefix>]",
  );
  process.exit(values.help ? 0 : 2);
}
await runCli("import", {
  dir: path.resolve(positionals[0]!),
  kind: values.kind,
  system: values.system,
  skipInvalid: values["skip-invalid"],
  prefix: values.prefix,
});
