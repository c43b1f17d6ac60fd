import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { TextField } from "~/components/ui/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { assertSameOrigin, clientIp, sessionCookieHeader } from "~/auth/session.server";
import { completeSetup, setupState } from "~/auth/setup.server";
import { AccountError } from "~/auth/users.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Set up · Drillbook" }];

type FieldErrors = Partial<Record<"name" | "email" | "password" | "confirm", string>>;

/**
 * GET /setup?token=… — the first-admin form while no account exists and the one-time token (printed
 * on the server console) is right; 404 with a pointer to the console when the token is wrong or
 * missing; a link to /login once accounts exist.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const state = await setupState(await getRuntime(), token);
  return data({ state, token: state === "ready" ? token : "", minLength: MIN_PASSWORD_LENGTH }, { status: state === "invalid" ? 404 : 200 });
}

/** POST /setup: token, name, email, password, confirm -> 302 to / signed in as the new admin. */
export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  try {
    const result = await completeSetup(
      await getRuntime(),
      { token: form.get("token"), name: form.get("name"), email: form.get("email"), password: form.get("password"), confirm: form.get("confirm") },
      clientIp(context),
    );
    if (!result.ok) {
      return data({ state: result.state, values, fieldErrors: {} as FieldErrors }, { status: result.state === "done" ? 409 : 404 });
    }
    return redirect("/", { headers: { "Set-Cookie": await sessionCookieHeader(request, result.sessionId) } });
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    const fieldErrors: FieldErrors = { [error.field === "name" || error.field === "email" ? error.field : "password"]: error.message };
    return data({ state: "ready" as const, values, fieldErrors }, { status: 400 });
  }
}

export default function SetupPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const state = result?.state ?? loaded.state;
  if (state === "done") {
    return (
      <div className="narrow">
        <h1>Drillbook is set up</h1>
        <p>
          Accounts exist already, so this setup link no longer works. <Link to="/login">Sign in</Link>, or ask an admin for an
          account.
        </p>
      </div>
    );
  }
  if (state === "invalid") {
    return (
      <div className="narrow">
        <h1>Not found</h1>
        <p>
          This setup link is missing its token or the token is wrong. While there are no accounts, the server prints a one-time
          link on its console at start (<code>no accounts yet. Create the first admin with this one-time link</code>): open that
          link, or create the first admin with <code>npm run user -- create --email &lt;e&gt; --role admin</code>.
        </p>
      </div>
    );
  }
  const errors: FieldErrors = result?.fieldErrors ?? {};
  return (
    <div className="narrow">
      <h1>Create the first admin</h1>
      <p className="muted">
        Drillbook has no accounts yet. This account can create others (and so can <code>npm run user -- create</code>).
      </p>
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="token" value={loaded.token} />
        <TextField prefix="setup" name="name" label="Name" autoComplete="name" value={result?.values.name ?? ""} errors={errors} required />
        <TextField prefix="setup" name="email" label="E-mail" type="email" autoComplete="username" value={result?.values.email ?? ""} errors={errors} required />
        <TextField
          prefix="setup"
          name="password"
          label={`Password (at least ${loaded.minLength} characters)`}
          type="password"
          autoComplete="new-password"
          minLength={loaded.minLength}
          errors={errors}
          required
        />
        <TextField prefix="setup" name="confirm" label="Password again" type="password" autoComplete="new-password" errors={errors} required />
        <button type="submit">Create admin and sign in</button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
