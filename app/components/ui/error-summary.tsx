import { useEffect, useRef } from "react";
import { fieldId, type FieldErrors } from "./field";

/** `"sla.rto_minutes"` -> `"sla rto minutes"`: a field name in words, when a form gives no label for it. */
export const fieldNameInWords = (key: string) => key.split(".").map((part) => part.replace(/_/g, " ")).join(" ");

/**
 * The box at the top of a refused form: "Nothing was saved. N fields need attention:" and each
 * error as a link to its field (`#fieldId(prefix, key)`, labelled by `labelFor(key)`, default the
 * name in words). It has `role="alert"` and takes focus when errors arrive, so a screen reader
 * reads it and Tab moves on to the links. Renders nothing without errors.
 */
export function ErrorSummary({ errors, prefix, labelFor = fieldNameInWords }: { errors: FieldErrors; prefix: string; labelFor?: (key: string) => string }) {
  const ref = useRef<HTMLDivElement>(null);
  const keys = Object.keys(errors);
  useEffect(() => {
    if (keys.length > 0) ref.current?.focus();
  }, [errors]); // eslint-disable-line react-hooks/exhaustive-deps
  if (keys.length === 0) return null;
  return (
    <div className="form-error" role="alert" tabIndex={-1} ref={ref}>
      <p style={{ margin: 0 }}>
        <strong>Nothing was saved.</strong> {keys.length === 1 ? "One field needs" : `${keys.length} fields need`} attention:
      </p>
      <ul>
        {keys.map((key) => (
          <li key={key}>
            <a href={`#${fieldId(prefix, key)}`}>{labelFor(key)}</a>: {errors[key]}
          </li>
        ))}
      </ul>
    </div>
  );
}
