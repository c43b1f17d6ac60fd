import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLocation } from "@remix-run/react";
import { useEffect } from "react";
import { GeneralErrorBoundary } from "./components/error-boundary";
import stylesHref from "./styles.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesHref }];
export const meta: MetaFunction = () => [{ title: "Drillbook" }];

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
  const q = location.pathname === "/search" ? new URLSearchParams(location.search).get("q") ?? "" : "";

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
    </header>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
