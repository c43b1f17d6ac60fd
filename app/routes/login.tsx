import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TextField } from "~/components/ui/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { safeRedirectPath, signIn } from "~/auth/login.server";
import { assertSameOrigin, clientIp, getViewer, sessionCookieHeader } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Drillbook" }];

/** Document responses take their headers from here: pass on the action's Retry-After (429). */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers({ "Cache-Control": "no-store" });
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

/** Where to go after signing in: a local path, never back to the sign-in, sign-out or setup pages. */
function destination(value: unknown): string {
  const path = safeRedirectPath(value);
  return /^\/(login|logout|setup)(\/|\?|#|$)/.test(path) ? "/" : path;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = destination(url.searchParams.get("redirectTo"));
  if (await getViewer(request)) throw redirect(redirectTo);
  const { setupToken } = await getRuntime();
  return {
    redirectTo,
    signedOut: url.searchParams.get("signedOut"),
    /** No account exists yet: the first admin is created with the setup link from the console. */
    awaitingSetup: setupToken !== null,
  };
}

/** POST /login: e-mail + password (+ redirectTo) -> 302 with the session cookie, or the form again with 400/401/403/429. */
export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const { db, lucia } = await getRuntime();
  const result = await signIn({ db, lucia }, { email: form.get("email"), password: form.get("password"), ip: clientIp(context) });
  if (result.ok) {
    return redirect(destination(form.get("redirectTo")), {
      headers: { "Set-Cookie": await sessionCookieHeader(request, result.sessionId) },
    });
  }
  return data(
    { email: result.email, message: result.message, fieldErrors: result.fieldErrors ?? {} },
    {
      status: result.status,
      headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
    },
  );
}

export default function LoginPage() {
  const { redirectTo, signedOut, awaitingSetup } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const fieldErrors: { email?: string; password?: string } = result?.fieldErrors ?? {};
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      {signedOut && !result ? (
        <p className="form-note" role="status">
          {signedOut === "everywhere" ? "You are signed out on every device." : "You are signed out."}
        </p>
      ) : null}
      {result && !result.fieldErrors?.email && !result.fieldErrors?.password ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField prefix="login" name="email" label="E-mail" type="email" autoComplete="username" value={result?.email ?? ""} errors={fieldErrors} required autoFocus />
        <TextField prefix="login" name="password" label="Password" type="password" autoComplete="current-password" errors={fieldErrors} required />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="muted small">
        Forgot your password? Ask an admin to reset it (<code>npm run user -- reset-password</code> on the server).
      </p>
      {awaitingSetup ? (
        <p className="muted small">
          There are no accounts yet. The server printed a one-time setup link on its console at start: open it to create the
          first admin.
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
