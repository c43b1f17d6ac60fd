import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { getViewer } from "./auth/session.server";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { getRuntime } from "./lib/runtime.server";
import { TIME_ZONE_COOKIE, timeZoneFromCookie } from "./lib/time";
import stylesHref from "./styles.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];
export const meta: MetaFunction = () => [{ title: "Drillbook" }];

/** The signed-in person (or token holder) for the header, or null; and whether anonymous reading is on. */
export async function loader({ request }: LoaderFunctionArgs) {
  const [viewer, { env }] = await Promise.all([getViewer(request), getRuntime()]);
  return {
    viewer: viewer ? { id: viewer.id, name: viewer.name, email: viewer.email, role: viewer.role } : null,
    anonymousRead: env.anonymousRead,
    /** The viewer's IANA time zone (cookie set by the browser; UTC until then). */
    timeZone: timeZoneFromCookie(request.headers.get("cookie")),
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main">{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

function SiteHeader() {
  const location = useLocation();
  // Also rendered by the error boundary, when the root loader may not have run.
  const root = useRouteLoaderData<typeof loader>("root");
  const viewer = root?.viewer ?? null;
  const q = location.pathname === "/search" ? new URLSearchParams(location.search).get("q") ?? "" : "";

  useEffect(() => {
    // Marks the page as interactive (keyboard shortcuts, enhanced forms work from here on).
    document.documentElement.dataset.hydrated = "true";
  }, []);

  useEffect(() => {
    // Remember the browser's time zone so the server renders times in it from the next request on.
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && root && zone !== root.timeZone) {
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    }
  }, [root]);

  useEffect(() => {
    // "/" focuses search from any page, unless the person is typing somewhere.
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
      if (event.key === "/" && !typing && !event.metaKey && !event.ctrlKey && !event.altKey) {
        event.preventDefault();
        const search = document.querySelector<HTMLInputElement>("[data-search-input]");
        search?.focus();
        search?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <header className="site-header">
      <a href="/" className="brand">
        Drill<span>book</span>
      </a>
      <nav className="site-nav" aria-label="Main">
        <NavLink to="/search">Search</NavLink>
        <NavLink to="/systems">Systems</NavLink>
        <NavLink to="/teams">Teams</NavLink>
        <NavLink to="/incidents">Incidents</NavLink>
        <NavLink to="/actions">Actions</NavLink>
        <NavLink to="/coverage">Coverage</NavLink>
        <NavLink to="/reliability">Reliability</NavLink>
        {viewer && viewer.role !== "viewer" ? <NavLink to="/new?kind=runbook">New document</NavLink> : null}
      </nav>
      {location.pathname !== "/" && location.pathname !== "/search" && (
        <form className="header-search" action="/search" method="get" role="search">
          <input
            key={q}
            type="search"
            name="q"
            defaultValue={q}
            placeholder="Search runbooks, plans, alerts…  (press /)"
            aria-label="Search"
            data-search-input
            autoComplete="off"
          />
        </form>
      )}
      <div className="account-nav">
        {viewer ? (
          <details className="user-menu">
            <summary>
              {viewer.name} <span className="muted small">({viewer.role})</span>
            </summary>
            <ul>
              <li>
                <NavLink to="/settings/tokens">API tokens</NavLink>
              </li>
              {viewer.role === "admin" ? (
                <li>
                  <NavLink to="/admin/audit">Audit log</NavLink>
                </li>
              ) : null}
              <li>
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button">
                    Sign out
                  </button>
                </Form>
              </li>
              <li>
                <Form method="post" action="/logout">
                  <input type="hidden" name="everywhere" value="true" />
                  <button type="submit" className="link-button">
                    Sign out everywhere
                  </button>
                </Form>
              </li>
            </ul>
          </details>
        ) : location.pathname !== "/login" ? (
          <NavLink to={`/login?redirectTo=${encodeURIComponent(location.pathname + location.search)}`}>Sign in</NavLink>
        ) : null}
      </div>
    </header>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
