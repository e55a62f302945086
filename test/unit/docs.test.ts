// Docs that cannot rot: every k6 snippet in docs/ type-checks against the library as users
// import it, every metric, default, price and public export the code has is where the docs
// say it is, and every relative link lands on a file and heading that exist.
// The convention is documented in docs/README.md ("How these docs stay true").
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain .mjs build script without types
import { ENTRIES, NODE_ENTRIES } from '../../build.mjs';
import { CLIENT_DEFAULTS } from '../../lib/client/index';
import { BUILT_IN_PRICES } from '../../lib/cost/built-in-prices';
import '../../lib/metrics/index';
import { METRIC_NAMES } from '../../lib/metrics/names';
import { RETRY_DEFAULTS } from '../../lib/retry/options';
import { declared } from '../fakes/k6-metrics';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docsDir = join(root, 'docs');
const snippetDir = join(root, 'test-output', 'docs-snippets');
const entries = { ...ENTRIES, ...NODE_ENTRIES } as Record<string, string>;

const SNIPPET_MARKER = '// docs-snippet';
const TS_LANGS = new Set(['ts', 'typescript', 'tsx']);
const SCRIPT_LANGS = new Set([...TS_LANGS, 'js', 'javascript', 'jsx']);
// Pages whose k6 scripts are not yet written to type-check (validation.md elides arguments with
// `http.post(/* ... */)`): their unmarked scripts are skipped. Marked blocks there are still
// checked. Remove a page once its scripts compile.
const UNCONVERTED_PAGES = new Set(['validation.md']);
// Pages the docs index links that other engineers are writing in the same change: a link to one
// may dangle only while the file does not exist. Once it exists it is checked like any page.
const PLANNED_PAGES = new Set(['workloads.md', 'agents.md', 'reports.md', 'benchmarks.md', 'ci.md']);

interface CodeBlock {
  page: string;
  lang: string;
  /** 1-based line of the opening fence in the page. */
  fenceLine: number;
  lines: string[];
}

function docPages(): string[] {
  return readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort();
}

function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Fenced blocks of a Markdown text, with the line of each opening fence. */
function codeBlocks(page: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { fence: string; block: CodeBlock } | undefined;
  text.split('\n').forEach((line, i) => {
    if (!open) {
      const m = /^\s*(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (m) open = { fence: m[1] as string, block: { page, lang: (m[2] ?? '').toLowerCase(), fenceLine: i + 1, lines: [] } };
      return;
    }
    const close = new RegExp(`^\\s*${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
    if (close.test(line)) {
      blocks.push(open.block);
      open = undefined;
    } else {
      open.block.lines.push(line);
    }
  });
  return blocks;
}

/** The text outside fenced blocks, with inline code spans blanked: where links and prose live. */
function prose(text: string): string {
  let inFence = false;
  let fence = '';
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m && (!inFence || (m[1] as string)[0] === fence[0])) {
      if (!inFence) fence = m[1] as string;
      inFence = !inFence;
      out.push('');
      continue;
    }
    out.push(inFence ? '' : line.replace(/(`+)[^`]*?\1/g, ''));
  }
  return out.join('\n');
}

const isK6Script = (code: string) =>
  /from\s+['"]k6(?:-llm)?(?:\/[^'"]*)?['"]/.test(code) && /export\s+(?:default\b|const\s+options\b|function\s+setup\b)/.test(code);

// ---- snippets ---------------------------------------------------------------------------

interface Snippet {
  block: CodeBlock;
  file: string;
  /** `ts` blocks are checked as TypeScript, `js` blocks as JavaScript (checkJs). */
  js: boolean;
}

const allBlocks = docPages().flatMap((page) => codeBlocks(page, read(join(docsDir, page))));
const scriptBlocks = allBlocks.filter((b) => SCRIPT_LANGS.has(b.lang));
const isMarked = (b: CodeBlock) => b.lines[0]?.trim() === SNIPPET_MARKER;
const snippets: Snippet[] = [];
{
  const counts = new Map<string, number>();
  for (const block of scriptBlocks) {
    const detected = isK6Script(block.lines.join('\n')) && !UNCONVERTED_PAGES.has(block.page);
    if (!isMarked(block) && !detected) continue;
    const n = (counts.get(block.page) ?? 0) + 1;
    counts.set(block.page, n);
    const js = !TS_LANGS.has(block.lang);
    snippets.push({ block, js, file: join(snippetDir, `${block.page.replace(/\.md$/, '')}-${n}.${js ? 'js' : 'ts'}`) });
  }
}

/** `k6-llm` and each public subpath mapped to its source, exactly as build.mjs ENTRIES lists them. */
function entryPaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const [subpath, src] of Object.entries(entries)) {
    paths[subpath === '.' ? 'k6-llm' : `k6-llm/${subpath.slice(2)}`] = [resolve(root, src)];
  }
  return paths;
}

function ambientDeclarations(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...ambientDeclarations(full));
    else if (name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** TypeScript snippets and the entries' sources, with the project's compiler options. */
let program: ts.Program;
/** JavaScript snippets: the same options plus checkJs; JavaScript has no annotations, so implicit `any` is allowed. */
let jsProgram: ts.Program;

beforeAll(() => {
  rmSync(snippetDir, { recursive: true, force: true });
  mkdirSync(snippetDir, { recursive: true });
  for (const s of snippets) writeFileSync(s.file, s.block.lines.join('\n') + '\n');
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, baseUrl: root, paths: entryPaths() };
  // Ambient declarations under lib/ (*.d.ts) type the snippets as they type the library.
  const support = [...ambientDeclarations(join(root, 'lib')), ...Object.values(entries).map((src) => resolve(root, src))];
  program = ts.createProgram([...snippets.filter((s) => !s.js).map((s) => s.file), ...support], options);
  jsProgram = ts.createProgram([...snippets.filter((s) => s.js).map((s) => s.file), ...support], {
    ...options,
    allowJs: true,
    checkJs: true,
    noImplicitAny: false,
  });
}, 120_000);

function diagnosticsOf(s: Snippet): string[] {
  const checked = s.js ? jsProgram : program;
  const sf = checked.getSourceFile(s.file);
  if (!sf) return [`${s.file} was not part of the program`];
  const diagnostics = [...checked.getSyntacticDiagnostics(sf), ...checked.getSemanticDiagnostics(sf)];
  return diagnostics.map((d) => {
    const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
    return `docs/${s.block.page}:${s.block.fenceLine + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('k6 scripts in docs/', () => {
  it.each(snippets.map((s) => [`docs/${s.block.page}:${s.block.fenceLine}`, s] as const))(
    'the snippet at %s type-checks against the library as users import it',
    (_where, s) => {
      expect(diagnosticsOf(s)).toEqual([]);
    },
  );

  it('finds scripts on every page that shows k6 code, marked or recognized by their shape', () => {
    const pages = new Set(snippets.map((s) => s.block.page));
    for (const page of ['getting-started.md', 'concepts.md', 'timing.md', 'providers.md', 'cost.md', 'rate-limits.md', 'distributed.md']) {
      expect(pages.has(page), page).toBe(true);
    }
    // Recognized without the marker: a k6 script in a js block.
    expect(isK6Script("import { check } from 'k6';\nexport default function () {}")).toBe(true);
    expect(isK6Script("import { createClient } from 'k6-llm';\nconst c = createClient(opts);")).toBe(false);
  });

  function probe(name: string, code: string): string {
    const file = join(snippetDir, name);
    writeFileSync(file, code);
    const checked = ts.createProgram([file, ...ambientDeclarations(join(root, 'lib'))], program.getCompilerOptions(), undefined, program);
    const sf = checked.getSourceFile(file) as ts.SourceFile;
    return checked.getSemanticDiagnostics(sf).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('\n');
  }

  it('a snippet with a misspelt option fails, so the check is not vacuous', () => {
    const code = "import { createClient } from 'k6-llm';\ncreateClient({ provider: 'openai-chat', model: 'm', retries: 3 });\nexport default function () {}\n";
    expect(probe('probe-option.ts', code)).toMatch(/'retries' does not exist in type 'ClientOptions'/);
  });

  it('a snippet importing a subpath that is not a public entry fails, so docs cannot promise one', () => {
    const code = "import { createSession } from 'k6-llm/no-such-entry';\nexport default function () { createSession(); }\n";
    expect(probe('probe-entry.ts', code)).toMatch(/Cannot find module 'k6-llm\/no-such-entry'/);
  });
});

// ---- metrics ----------------------------------------------------------------------------

/** Table rows of a page whose first cell is `` `key` ``, split into trimmed cells (escaped pipes kept). */
function tableRows(text: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line
      .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    const key = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    if (key !== undefined && !rows.has(key)) rows.set(key, cells);
  }
  return rows;
}

describe('docs/metrics.md', () => {
  const text = read(join(docsDir, 'metrics.md'));
  const rows = tableRows(text);
  const names = Object.values(METRIC_NAMES) as string[];

  it.each(names)('documents %s with the type and unit the code declares', (name) => {
    const row = rows.get(name);
    expect(row, `${name} has no row in docs/metrics.md`).toBeDefined();
    const metric = declared.get(name);
    expect(metric, `${name} is not created by lib/metrics/index.ts`).toBeDefined();
    const type = (metric?.type ?? '').replace(/^./, (c) => c.toUpperCase());
    expect(row?.[1]).toBe(metric?.isTime ? `${type} (ms)` : type);
  });

  it('names no llm_* metric that does not exist, on any docs page or in the README', () => {
    const known = new Set(names);
    const pages = [...docPages().map((p) => join(docsDir, p)), join(root, 'README.md')];
    const unknown: string[] = [];
    for (const page of pages) {
      read(page).split('\n').forEach((line, i) => {
        for (const m of line.matchAll(/\bllm_[a-z0-9_]*[a-z0-9]/g)) {
          if (!known.has(m[0])) unknown.push(`${relative(root, page)}:${i + 1}: ${m[0]}`);
        }
      });
    }
    expect(unknown).toEqual([]);
  });
});

// ---- defaults, prices and exports ------------------------------------------------------

function literal(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

describe('defaults and prices in the docs match the code', () => {
  it.each(Object.entries(RETRY_DEFAULTS))('docs/rate-limits.md gives retry option %s its default from RETRY_DEFAULTS', (key, value) => {
    const row = tableRows(read(join(docsDir, 'rate-limits.md'))).get(key);
    expect(row, `no row for ${key}`).toBeDefined();
    expect(row?.[1]).toBe(`\`${literal(value)}\``);
  });

  it.each(Object.entries(CLIENT_DEFAULTS))('docs/api.md gives client option %s its default from CLIENT_DEFAULTS', (key, value) => {
    const row = tableRows(read(join(docsDir, 'api.md'))).get(key);
    expect(row, `no row for ${key}`).toBeDefined();
    expect(row?.[2]).toBe(`\`${literal(value)}\``);
  });

  it.each(Object.entries(BUILT_IN_PRICES))('docs/cost.md lists built-in price %s with its rates, tiers and date', (model, price) => {
    const row = tableRows(read(join(docsDir, 'cost.md'))).get(model);
    expect(row, `no row for ${model}`).toBeDefined();
    const rate = (v: number | undefined) => (v === undefined ? '—' : String(v));
    expect(row?.slice(1, 5)).toEqual([rate(price.input), rate(price.output), rate(price.cachedInput), rate(price.cacheWrite)]);
    for (const tier of price.tiers ?? []) {
      expect(row?.[5]).toContain(`> ${tier.aboveInputTokens.toLocaleString('en-US')}: ${tier.input} / ${tier.output}`);
    }
    if (!price.tiers) expect(row?.[5]).toBe('—');
    expect(row?.[6]).toBe(price.asOf);
  });
});

describe('docs/api.md', () => {
  const text = read(join(docsDir, 'api.md'));

  function section(title: string): string | undefined {
    const start = text.indexOf(`\n## \`${title}\`\n`);
    if (start < 0) return undefined;
    const end = text.indexOf('\n## ', start + 1);
    return text.slice(start, end < 0 ? undefined : end);
  }

  it.each(Object.entries(entries))('documents every export of the %s entry in its own section', (subpath, src) => {
    const title = subpath === '.' ? 'k6-llm' : `k6-llm/${subpath.slice(2)}`;
    const body = section(title);
    expect(body, `docs/api.md has no "## \`${title}\`" section`).toBeDefined();
    const checker = program.getTypeChecker();
    const sf = program.getSourceFile(resolve(root, src)) as ts.SourceFile;
    const moduleSymbol = checker.getSymbolAtLocation(sf) as ts.Symbol;
    const missing = checker
      .getExportsOfModule(moduleSymbol)
      .map((e) => e.name)
      .filter((name) => !new RegExp('`' + name.replace(/[$]/g, '\\$') + '[`(<]').test(body ?? ''));
    expect(missing, `exports of ${title} missing from docs/api.md`).toEqual([]);
  });
});

// ---- links ------------------------------------------------------------------------------

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const words = (heading[1] as string).replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
      const base = words.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1] as string);
  }
  return anchors;
}

describe('links', () => {
  const pages = [...docPages().map((p) => join(docsDir, p)), join(root, 'README.md')];

  it.each(pages.map((p) => [relative(root, p), p]))('every relative link in %s points at an existing file and heading', (_name, page) => {
    const text = prose(read(page));
    const targets = [
      ...[...text.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string),
      ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] as string),
    ];
    const broken: string[] = [];
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
      if (!existsSync(file)) {
        if (dirname(file) === docsDir && PLANNED_PAGES.has(relative(docsDir, file))) continue;
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor && file.endsWith('.md') && !anchorsOf(read(file)).has(anchor)) broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it('docs/README.md links every page in docs/', () => {
    const index = read(join(docsDir, 'README.md'));
    const unlisted = docPages().filter((p) => p !== 'README.md' && !index.includes(`](${p})`));
    expect(unlisted).toEqual([]);
  });
});
