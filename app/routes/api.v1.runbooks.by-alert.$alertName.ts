import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { runbooksForAlert } from "~/docs/queries.server";
import { documentHref } from "~/docs/slug";
import { jsonError } from "~/lib/http.server";
import { requireReader } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

/**
 * GET /api/v1/runbooks/by-alert/:alertName -> 302 to the runbook page for that alert
 * (case-insensitive; the best runbook when several answer it), or 404 { error, alert }.
 * For Alertmanager `runbook_url` annotations and Zabbix actions.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireReader(request);
  const alertName = (params.alertName ?? "").trim();
  if (!/^[A-Za-z][A-Za-z0-9_:.-]{0,199}$/.test(alertName)) {
    return jsonError(400, "An alert name is a single word of letters, digits, '_', ':', '.' or '-', e.g. KubePodCrashLooping");
  }
  const { db } = await getRuntime();
  const [best] = await runbooksForAlert(db, alertName);
  if (!best) {
    return jsonError(404, `No runbook answers the alert "${alertName}". Add "alerts: [${alertName}]" to a runbook's frontmatter.`, {
      alert: alertName,
      search: `/search?q=${encodeURIComponent(alertName)}`,
    });
  }
  return redirect(documentHref(best.slug), 302);
}
