import { useNavigation } from "@remix-run/react";

/**
 * The submit buttons of forms that also have row buttons ("Add a row", "Remove"), all named
 * `intent`: the form posts `intent=save` when saved.
 */

/** The visible save button: `intent=save`, disabled and reading "Saving…" while the form posts. */
export function SaveButton({ label }: { label: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <button type="submit" name="intent" value="save" disabled={busy}>
      {busy ? "Saving…" : label}
    </button>
  );
}

/**
 * An invisible first submit button (`intent=save`), so Enter in a text field saves instead of
 * pressing the first row button. Hidden from screen readers and out of the Tab order; the visible
 * `SaveButton` is the one people reach.
 */
export function DefaultSave() {
  return (
    <button type="submit" name="intent" value="save" tabIndex={-1} aria-hidden="true" className="visually-hidden">
      Save
    </button>
  );
}
