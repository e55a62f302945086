// Markdown for docs/benchmarks.md: tables and the marked sections each bench owns.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** A GitHub-flavoured table; `align` is a string of `l`/`r` per column (default: first left, rest right). */
export function table(header, rows, align) {
  const a = align ?? 'l' + 'r'.repeat(header.length - 1);
  const rule = header.map((_, i) => (a[i] === 'r' ? '---:' : '---'));
  const line = (cells) => `| ${cells.map((c) => String(c ?? '—').replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

const begin = (name) => `<!-- bench:${name} -->`;
const end = (name) => `<!-- /bench:${name} -->`;

/**
 * Replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in `file` (creating the file from
 * `skeleton` when it does not exist), so each bench rewrites only its own section and a single bench run leaves the
 * others' figures alone.
 */
export function replaceSection(file, name, body, skeleton) {
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : skeleton;
  if (doc.indexOf(begin(name)) < 0 || doc.indexOf(end(name)) < doc.indexOf(begin(name))) {
    doc = `${doc.trimEnd()}\n\n${begin(name)}\n${end(name)}\n`;
  }
  const start = doc.indexOf(begin(name)) + begin(name).length;
  const stop = doc.indexOf(end(name));
  writeFileSync(file, `${doc.slice(0, start)}\n${body.trim()}\n${doc.slice(stop)}`);
}
