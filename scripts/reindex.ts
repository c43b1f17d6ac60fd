/** npm run reindex — rebuilds the search index from the database. See README.md. */
import { runCli } from "./cli";

await runCli("reindex", {});
