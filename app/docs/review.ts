/** Days after the last review when a document counts as stale on its page. */
export const STALE_REVIEW_DAYS = 365;

/**
 * Whether a document's last review (YYYY-MM-DD, UTC) is recent enough to trust, as of `now`:
 * `current` within STALE_REVIEW_DAYS, `stale` older, `never` when no review is recorded.
 * (Contingency plans get a per-system interval in the coverage metrics; this is the page hint.)
 */
export function reviewState(lastReviewed: string | null, now: Date): "current" | "stale" | "never" {
  if (!lastReviewed) return "never";
  const reviewed = Date.parse(`${lastReviewed}T00:00:00Z`);
  const ageDays = (now.getTime() - reviewed) / 86_400_000;
  return ageDays > STALE_REVIEW_DAYS ? "stale" : "current";
}
