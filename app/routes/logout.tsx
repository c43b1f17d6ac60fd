import { redirect, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { signOut, signOutEverywhere } from "~/auth/login.server";
import { assertSameOrigin, clientIp, getViewer, sessionCookieHeader } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Sign out · Drillbook" }];

/**
 * POST /logout ends this browser's session; with `everywhere=true`, every session of the person
 * (lucia.invalidateUserSessions; API tokens stay valid). Audited. Always clears the cookie and
 * goes to /login. GET shows a button only: signing out never happens on a GET.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const everywhere = form.get("everywhere") === "true";
  const viewer = await getViewer(request);
  const { db, lucia } = await getRuntime();
  if (viewer?.via === "session") {
    if (everywhere) await signOutEverywhere({ db, lucia }, viewer, clientIp(context));
    else await signOut({ db, lucia }, viewer, clientIp(context));
  }
  return redirect(`/login?signedOut=${everywhere ? "everywhere" : "1"}`, {
    headers: { "Set-Cookie": await sessionCookieHeader(request, null) },
  });
}

export default function LogoutPage() {
  return (
    <div className="narrow">
      <h1>Sign out</h1>
      <Form method="post" className="form">
        <button type="submit">Sign out</button>
      </Form>
      <Form method="post" className="form">
        <input type="hidden" name="everywhere" value="true" />
        <button type="submit" className="secondary">
          Sign out everywhere
        </button>
        <p className="muted small">Ends your sessions in every browser and device. API tokens keep working; revoke them under API tokens.</p>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
