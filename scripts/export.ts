/**
 * npm run export -- <dir> [--force]
 * Writes the catalog (catalog/*.yaml) and every document (Markdown with frontmatter) to <dir>, in the
 * format `npm run import` reads (content/README.md). Refuses a folder with files in it unless --force.
 */
import { parseArgs } from "node:util";
import path from "node:path";
import { runCli } from "./cli";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    force: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help || positionals.length !== 1) {
  console.log("usage: npm run export -- <dir> [--force]   (--force: write into a folder that already has files)");
  process.exit(values.help ? 0 : 2);
}
await runCli("export", { dir: path.resolve(positionals[0]!), force: values.force });
