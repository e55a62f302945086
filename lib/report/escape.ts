// Text that came from a run (metric names, tag values, error types, threshold expressions) is
// data, never markup: everything written into HTML, SVG or XML goes through here.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML, SVG and XML, in element content and in quoted attributes alike. Also
 * drops the control characters XML 1.0 forbids (all below U+0020 but tab, LF and CR), which no
 * parser would accept even escaped.
 */
export function escapeXml(text: string | number): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
