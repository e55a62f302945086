// The HTML shell both reports share: one file, inline CSS, no script, and a Content-Security-Policy
// that forbids every fetch, so a report opened from a CI artifact store cannot reach the network.
import { escapeXml } from './escape';

const CSS = `
:root { color-scheme: light; --ok: #2e7d32; --warn: #b26a00; --bad: #c62828; --line: #e0e0e0; --muted: #5f6368; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #202124; background: #f6f7f9; }
header { padding: 20px 28px 12px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .meta { color: var(--muted); }
main { padding: 16px 28px 32px; max-width: 1400px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin: 0 0 16px; }
section h2 { margin: 0 0 10px; font-size: 17px; }
section h3 { margin: 14px 0 6px; font-size: 14px; color: #3c4043; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 8px 24px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; background: #fafbfc; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 19px; font-weight: 600; font-variant-numeric: tabular-nums; }
figure { margin: 0; min-width: 0; }
figcaption { font-weight: 600; margin: 6px 0 2px; }
svg.chart { display: block; width: 100%; height: auto; max-width: 760px; overflow: visible; }
table { border-collapse: collapse; margin: 6px 0 4px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { font-weight: 600; color: #3c4043; background: #fafbfc; }
td.text, th.text { text-align: left; white-space: normal; }
.table-wrap { overflow-x: auto; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 10px; color: #fff; font-weight: 600; font-size: 12px; letter-spacing: .04em; }
.badge.ok, .pass { background: var(--ok); }
.badge.warn { background: var(--warn); }
.badge.bad, .fail { background: var(--bad); }
.verdict.ok { border-left: 5px solid var(--ok); }
.verdict.warn { border-left: 5px solid var(--warn); }
.verdict.bad { border-left: 5px solid var(--bad); }
.verdict ul { margin: 4px 0 0; padding-left: 18px; }
.verdict li { margin: 4px 0 8px; }
.verdict .code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.verdict .reason { color: var(--muted); }
td.pass, td.fail { color: #fff; text-align: center; font-weight: 600; }
.note { color: var(--muted); margin: 4px 0; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; background: #f1f3f4; border-radius: 4px; }
code { padding: 1px 4px; }
pre { padding: 8px 10px; overflow-x: auto; }
footer { color: var(--muted); padding: 0 28px 24px; font-size: 12px; }
`;

/** A complete, self-contained HTML document around `body` (already escaped markup). */
export function htmlPage(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script, no fetch of any kind: the report must open the same offline, years from now.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A table from rows of cells; cells are text (escaped here) or `{ html, className }` for markup built elsewhere. */
export type Cell = string | { html: string; className?: string };

export function htmlTable(head: readonly Cell[], rows: ReadonlyArray<readonly Cell[]>, className = ''): string {
  const cell = (c: Cell, tag: 'td' | 'th') =>
    typeof c === 'string' ? `<${tag}>${escapeXml(c)}</${tag}>` : `<${tag}${c.className ? ` class="${escapeXml(c.className)}"` : ''}>${c.html}</${tag}>`;
  return (
    `<div class="table-wrap"><table${className ? ` class="${escapeXml(className)}"` : ''}>` +
    `<thead><tr>${head.map((h) => cell(h, 'th')).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody></table></div>`
  );
}

export function card(label: string, value: string): string {
  return `<div class="card"><div class="label">${escapeXml(label)}</div><div class="value">${escapeXml(value)}</div></div>`;
}

export function figure(caption: string, svg: string): string {
  return `<figure><figcaption>${escapeXml(caption)}</figcaption>${svg}</figure>`;
}
