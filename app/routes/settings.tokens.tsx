import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Timestamp } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { clientIp, requireRole, type Viewer } from "~/auth/session.server";
import { AccountError, createApiToken, listApiTokens, revokeApiToken, type Actor } from "~/auth/users.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "API tokens · Drillbook" }];

/**
 * Any signed-in person, in the browser: an API token cannot list or mint tokens, so a leaked
 * token cannot make itself new ones. @throws 302/401 when not signed in, 403 for a token.
 */
async function requireSessionViewer(request: Request): Promise<Viewer> {
  const viewer = await requireRole(request, "viewer");
  if (viewer.via !== "session") {
    throw new Response("API tokens are managed in the browser, signed in; a token cannot list or create tokens.", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  return viewer;
}

/** GET /settings/tokens — the viewer's own tokens (never the secrets). */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireSessionViewer(request);
  const { db } = await getRuntime();
  return { tokens: await listApiTokens(db, viewer.id), role: viewer.role };
}

/**
 * POST /settings/tokens: `intent=create` with name + scope -> the new token, shown once;
 * `intent=revoke` with id -> revokes one of the viewer's tokens. Both audited.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireSessionViewer(request);
  const form = await request.formData();
  const { db } = await getRuntime();
  const actor: Actor = { userId: viewer.id, label: viewer.email, ip: clientIp(context), via: "web" };
  try {
    if (form.get("intent") === "revoke") {
      await revokeApiToken(db, { id: form.get("id"), ownerId: viewer.id }, actor);
      return { created: null, error: null, revoked: true };
    }
    const { token, summary } = await createApiToken(db, { userId: viewer.id, name: form.get("name"), scope: form.get("scope") }, actor);
    return { created: { token, name: summary.name, scope: summary.scope }, error: null, revoked: false };
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    return data({ created: null, error: error.message, revoked: false }, { status: error.status });
  }
}

export default function TokensPage() {
  const { tokens, role } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [copied, setCopied] = useState(false);
  const copy = async (token: string) => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="narrow-wide">
      <h1>API tokens</h1>
      <p className="muted">
        For scripts and integrations (Alertmanager, CI): send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as
        you, within your role ({role}); a <strong>read</strong> token can only read, a <strong>write</strong> token can also
        change what your role allows.
      </p>
      {result?.created ? (
        <div className="token-once" role="status">
          <p>
            <strong>New {result.created.scope} token “{result.created.name}”.</strong> Copy it now: it is shown only this once.
          </p>
          <p className="token-value">
            <code data-token>{result.created.token}</code>{" "}
            <button type="button" className="secondary" onClick={() => copy(result.created!.token)}>
              {copied ? "Copied" : "Copy"}
            </button>
          </p>
        </div>
      ) : null}
      {result?.error ? (
        <p className="form-error" role="alert">
          {result.error}
        </p>
      ) : null}
      <Form method="post" className="form form-inline">
        <input type="hidden" name="intent" value="create" />
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input id="token-name" type="text" name="name" required maxLength={80} placeholder="alertmanager-prod" />
        </div>
        <div className="field">
          <label htmlFor="token-scope">Scope</label>
          <select id="token-scope" name="scope" defaultValue="read">
            <option value="read">read</option>
            <option value="write">write</option>
          </select>
        </div>
        <button type="submit">Create token</button>
      </Form>
      {tokens.length === 0 ? (
        <p className="empty">You have no API tokens.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Scope</th>
              <th>Prefix</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.scope}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>
                  <Timestamp value={t.createdAt} />
                </td>
                <td>{t.lastUsedAt ? <Timestamp value={t.lastUsedAt} /> : <span className="muted">never</span>}</td>
                <td>
                  {t.revokedAt ? (
                    <span className="muted">
                      revoked <Timestamp value={t.revokedAt} />
                    </span>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={t.id} />
                      <button type="submit" className="secondary" aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
