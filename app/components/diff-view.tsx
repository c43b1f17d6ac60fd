import { collapseUnchanged, type DiffLine, type DiffSegment, type MetadataChange } from "~/docs/diff";

/**
 * A unified diff of a document's text: removed lines marked `−` (old line number), added lines `+`
 * (new line number), changed lines as a pair with the changed words highlighted (`<del>`/`<ins>`).
 * Long unchanged runs fold into a `<details>` (works without JavaScript). All text is rendered by
 * React, so it is escaped.
 */
export function DiffView({ lines, context = 3, label }: { lines: readonly DiffLine[]; context?: number; label: string }) {
  if (lines.every((line) => line.type === "same")) return <p className="muted">The text is the same.</p>;
  const items = collapseUnchanged(lines, context);
  return (
    <table className="diff" aria-label={label}>
      <colgroup>
        <col className="diff-num-col" />
        <col className="diff-num-col" />
        <col className="diff-marker-col" />
        <col />
      </colgroup>
      <thead className="visually-hidden">
        <tr>
          <th scope="col">Old line</th>
          <th scope="col">New line</th>
          <th scope="col">Change</th>
          <th scope="col">Text</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, i) => {
          switch (item.type) {
            case "collapsed":
              return (
                <tr key={i} className="diff-collapsed">
                  <td colSpan={4}>
                    <details>
                      <summary>
                        {item.lines.length} unchanged line{item.lines.length === 1 ? "" : "s"} ({item.lines[0]!.newLine}–
                        {item.lines[item.lines.length - 1]!.newLine})
                      </summary>
                      <pre>{item.lines.map((l) => l.text).join("\n")}</pre>
                    </details>
                  </td>
                </tr>
              );
            case "same":
              return <Row key={i} kind="same" oldLine={item.oldLine} newLine={item.newLine} content={item.text} />;
            case "removed":
              return <Row key={i} kind="removed" oldLine={item.oldLine} content={item.text} />;
            case "added":
              return <Row key={i} kind="added" newLine={item.newLine} content={item.text} />;
            case "changed":
              return [
                <Row key={`${i}-old`} kind="removed" oldLine={item.oldLine} content={<Segments segments={item.segments} side="removed" />} />,
                <Row key={`${i}-new`} kind="added" newLine={item.newLine} content={<Segments segments={item.segments} side="added" />} />,
              ];
          }
        })}
      </tbody>
    </table>
  );
}

const MARKERS = { same: " ", removed: "−", added: "+" } as const;
const MARKER_LABELS = { same: "", removed: "removed", added: "added" } as const;

function Row({ kind, oldLine, newLine, content }: { kind: "same" | "removed" | "added"; oldLine?: number; newLine?: number; content: React.ReactNode }) {
  return (
    <tr className={`diff-${kind}`}>
      <td className="diff-num">{oldLine ?? ""}</td>
      <td className="diff-num">{newLine ?? ""}</td>
      <td className="diff-marker">
        <span aria-hidden="true">{MARKERS[kind]}</span>
        {MARKER_LABELS[kind] ? <span className="visually-hidden">{MARKER_LABELS[kind]}</span> : null}
      </td>
      <td className="diff-text">{content}</td>
    </tr>
  );
}

function Segments({ segments, side }: { segments: readonly DiffSegment[]; side: "removed" | "added" }) {
  return (
    <>
      {segments.map((segment, i) => {
        if (segment.type === "same") return <span key={i}>{segment.text}</span>;
        if (segment.type !== side) return null;
        return side === "removed" ? <del key={i}>{segment.text}</del> : <ins key={i}>{segment.text}</ins>;
      })}
    </>
  );
}

/** The metadata fields that changed between two revisions, as a table; nothing when none did. */
export function MetadataChanges({ changes }: { changes: readonly MetadataChange[] }) {
  if (changes.length === 0) return <p className="muted">No metadata changed.</p>;
  return (
    <table className="data metadata-changes">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.field}>
            <th scope="row">{change.label}</th>
            <td>{change.from === null ? <span className="muted">(none)</span> : <del>{change.from}</del>}</td>
            <td>
              {change.to === null ? <span className="muted">(none)</span> : <ins>{change.to}</ins>}
              {change.added?.length || change.removed?.length ? (
                <div className="small muted">
                  {change.added?.length ? <>added {change.added.join(", ")}</> : null}
                  {change.added?.length && change.removed?.length ? "; " : null}
                  {change.removed?.length ? <>removed {change.removed.join(", ")}</> : null}
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
