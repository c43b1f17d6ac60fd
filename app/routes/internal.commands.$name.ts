import { timingSafeEqual } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { isCommandName, runCommand } from "~/lib/commands.server";
import { jsonError } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

/**
 * POST /internal/commands/:name — runs a CLI command inside the server, for `npm run import` and
 * friends when the server holds the PGlite data directory. Authorised by the per-process token in
 * `<DATA_DIR>/holder.json` (mode 0600), so only someone who can read the data directory can call it.
 * Streams the command's output as text lines and ends with "\0exit <code>".
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const runtime = await getRuntime();
  const given = Buffer.from((request.headers.get("authorization") ?? "").replace(/^Bearer /, ""));
  const expected = Buffer.from(runtime.commandToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return jsonError(403, "Not allowed");
  const name = params.name ?? "";
  if (!isCommandName(name)) return jsonError(404, `Unknown command "${name}"`);
  const args = await request.json().catch(() => null);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const log = (line: string) => controller.enqueue(encoder.encode(`${line}\n`));
      let code = 1;
      try {
        code = await runCommand(name, args, {
          db: runtime.db,
          search: runtime.search,
          applyOutbox: () => runtime.outbox.kick(),
          log,
          onUserCreated: () => {
            runtime.setupToken = null;
          },
        });
      } catch (error) {
        log(`error: ${(error as Error).message}`);
      }
      controller.enqueue(encoder.encode(`\u0000exit ${code}\n`));
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

export function loader() {
  return jsonError(405, "Use POST");
}
