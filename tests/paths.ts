import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The demo organisation. */
export const CONTENT_DIR = path.join(ROOT, "content");
/** Real documents from other teams (shared/corpora beside the checkout). */
export const CORPORA = path.resolve(ROOT, "../shared/corpora");
