import { GeneralErrorBoundary } from "~/components/error-boundary";

/** Any address no other route matches: a 404 page that helps. */
export function loader() {
  throw new Response("There is no page at this address.", { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
