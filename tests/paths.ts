import path from "node:path";

/** Repository root. */
export const ROOT = path.resolve(__dirname, "..");
/** The demo organisation. */
export const CONTENT_DIR = path.join(ROOT, "content");
/** Real documents from other teams (shared/corpora beside the checkout). */
export const CORPORA = path.resolve(ROOT, "../shared/corpora");
