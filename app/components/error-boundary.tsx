import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

/**
 * The one error boundary every route uses: a 404 says what was not found and where to look,
 * anything else says what happened without leaking internals.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const message = typeof error.data === "string" ? error.data : error.statusText;
    if (error.status === 404) {
      return (
        <div className="error-page">
          <h1>Not found</h1>
          <p>{message || "There is nothing at this address."}</p>
          <p>
            Try <Link to="/search">searching</Link> by title, alert name or system, or browse the{" "}
            <Link to="/systems">systems</Link>.
          </p>
        </div>
      );
    }
    return (
      <div className="error-page">
        <h1>
          {error.status} {error.statusText}
        </h1>
        <p>{message}</p>
      </div>
    );
  }
  console.error(error);
  return (
    <div className="error-page">
      <h1>Something went wrong</h1>
      <p>The page could not be shown. The error has been logged on the server; try again, or go back to the <Link to="/">home page</Link>.</p>
    </div>
  );
}
