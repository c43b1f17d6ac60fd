import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/session.server";
import { RecordErrorSummary } from "~/components/continuity";
import { TextAreaField } from "~/components/ui/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { recordPlanReview } from "~/continuity/continuity.server";
import type { FormErrors } from "~/continuity/forms";
import { loadPlanRefs } from "~/continuity/references.server";
import { actorFromViewer } from "~/docs/save.server";
import { documentHref } from "~/docs/slug";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Mark a contingency plan reviewed · Drillbook" }];

/**
 * GET /plan-reviews/new?plan=<slug> (editors): the "Mark reviewed" form on its own page (the plan
 * page carries the same form inline). 404 when the slug is not a contingency plan.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "editor");
  const slug = new URL(request.url).searchParams.get("plan") ?? "";
  const { db } = await getRuntime();
  const plan = (await loadPlanRefs(db, [slug])).get(slug);
  invariantResponse(plan && plan.kind === "contingency_plan", `No contingency plan has the slug "${slug}".`);
  return { plan: { slug: plan.slug, title: plan.title, currentRevision: plan.currentRevision, status: plan.status } };
}

/**
 * POST /plan-reviews/new?plan=<slug> (editors) with `revision` (the one the reviewer read) and
 * `comment`: records the attestation (`recordPlanReview`, audited `plan.review`) and redirects to the
 * plan page; a refusal (plan changed since, archived, not a plan) answers 400 with the comment kept.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const slug = new URL(request.url).searchParams.get("plan") ?? "";
  const form = await request.formData();
  const values = { revision: String(form.get("revision") ?? ""), comment: String(form.get("comment") ?? "") };
  const { db } = await getRuntime();
  const result = await recordPlanReview(
    db,
    { plan: slug, revision: values.revision.trim() === "" ? undefined : values.revision, comment: values.comment },
    actorFromViewer(viewer, context),
  );
  if (!result.ok) {
    const errors: FormErrors = Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
    return data({ values, errors }, { status: 400 });
  }
  return redirect(`${documentHref(slug)}?reviewed=${result.id}#continuity`);
}

export default function PlanReviewPage() {
  const { plan } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <div className="narrow">
      <p className="muted small">
        <Link to={`${documentHref(plan.slug)}#continuity`}>{plan.title}</Link> /
      </p>
      <h1>Mark reviewed</h1>
      <p>
        You attest that you read revision {plan.currentRevision} of <Link to={documentHref(plan.slug)}>{plan.title}</Link> and that it still
        holds. The text does not change; the review is recorded with your name and the time.
      </p>
      <Form method="post" className="form" noValidate>
        <RecordErrorSummary errors={errors} prefix="review" />
        <input type="hidden" name="revision" value={plan.currentRevision} />
        <TextAreaField prefix="review" name="comment" label="Comment (optional)" value={result?.values.comment ?? ""} errors={errors} maxLength={2000} />
        {errors.revision ? (
          <p className="field-error" id="review-revision">
            {errors.revision} <Link to={documentHref(plan.slug)}>Open the current text</Link>.
          </p>
        ) : null}
        <button type="submit">Mark revision {plan.currentRevision} reviewed</button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
