/**
 * The text of an incident timeline entry, as inline Markdown rendered on the server
 * (`TimelineEntry.html`, from app/docs/markdown.ts `renderInlineMarkdown`: sanitised, raw HTML
 * shown as text). Falls back to the plain text when no HTML was rendered.
 */
export function TimelineText({ text, html }: { text: string; html?: string }) {
  if (!html) return <span className="timeline-text">{text}</span>;
  return <span className="timeline-text" dangerouslySetInnerHTML={{ __html: html }} />;
}
