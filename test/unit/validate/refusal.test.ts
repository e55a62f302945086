import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_LABELLED_ANSWERS, REFUSAL_SETS, type LabelledAnswer } from '../../fixtures/refusals/index';
import { detectRefusalText, REFUSAL_WINDOW } from '../../../lib/validate/refusal-text';
import { named, notRefused, REFUSAL_PATTERN, runValidators } from '../../../lib/validate/index';
import { notRefused as notRefusedPrecompiled } from '../../../lib/validate/precompiled';

const DOC = readFileSync(new URL('../../../docs/validation.md', import.meta.url), 'utf8');

/** The rows of the table between `<!-- name -->` and `<!-- /name -->` in docs/validation.md, by first cell. */
function documentedRows(name: string): Map<string, string[]> {
  const start = DOC.indexOf(`<!-- ${name}`);
  const end = DOC.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < 0) throw new Error(`docs/validation.md has no ${name} table`);
  const rows = new Map<string, string[]>();
  for (const line of DOC.slice(start, end).split('\n')) {
    if (!line.startsWith('|') || line.startsWith('|---') || line.startsWith('| set |')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim().replace(/\*/g, ''));
    rows.set(cells[0] as string, cells.slice(1));
  }
  return rows;
}

function score(answers: readonly LabelledAnswer[], refused: (text: string) => boolean) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const a of answers) {
    const got = refused(a.text);
    if (got && a.refusal) tp++;
    else if (got) fp++;
    else if (a.refusal) fn++;
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), refusals: tp + fn };
}

const heuristic = (text: string) => detectRefusalText(text) !== undefined;
const pattern = (text: string) => REFUSAL_PATTERN.test(text);
const SETS = [...REFUSAL_SETS, { name: 'all sets', answers: ALL_LABELLED_ANSWERS }];

describe('the text heuristic, measured on the labelled answers', () => {
  const figures = documentedRows('refusal-figures');

  it.each(SETS.map((s) => [s.name, s] as const))('on %s keeps at least the precision and recall docs/validation.md states', (name, set) => {
    const row = figures.get(name);
    expect(row, `docs/validation.md has a row for ${name}`).toBeDefined();
    const [answers, refusals, , , precision, recall] = (row as string[]).map((c) => c.replace(/[^\d.]/g, ''));
    const measured = score(set.answers, heuristic);
    expect(set.answers.length).toBe(Number(answers));
    expect(measured.refusals).toBe(Number(refusals));
    expect(measured.precision).toBeGreaterThanOrEqual(Number(precision) - 0.0005);
    expect(measured.recall).toBeGreaterThanOrEqual(Number(recall) - 0.0005);
  });

  it('states at least 0.95 precision and recall on all sets together', () => {
    const row = figures.get('all sets') as string[];
    expect(Number(row[4]?.replace(/[^\d.]/g, ''))).toBeGreaterThanOrEqual(0.95);
    expect(Number(row[5]?.replace(/[^\d.]/g, ''))).toBeGreaterThanOrEqual(0.95);
  });

  it.each(SETS.map((s) => [s.name, s] as const))('gives REFUSAL_PATTERN on %s the figures docs/validation.md compares it with', (name, set) => {
    const [precision, recall] = (documentedRows('refusal-pattern-figures').get(name) as string[]).map(Number);
    const measured = score(set.answers, pattern);
    expect(measured.precision.toFixed(3)).toBe(precision?.toFixed(3));
    expect(measured.recall.toFixed(3)).toBe(recall?.toFixed(3));
  });

  it('has at least 150 answers, refusals of every family including soft ones and redirections, and the hard cases of answers', () => {
    expect(ALL_LABELLED_ANSWERS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ALL_LABELLED_ANSWERS.map((a) => a.id)).size).toBe(ALL_LABELLED_ANSWERS.length);
    expect(new Set(ALL_LABELLED_ANSWERS.map((a) => a.text)).size).toBe(ALL_LABELLED_ANSWERS.length);
    const refusals = ALL_LABELLED_ANSWERS.filter((a) => a.refusal);
    for (const family of ['openai', 'anthropic', 'google', 'llama', 'mistral', 'qwen']) {
      expect(refusals.filter((a) => a.style === family).length, family).toBeGreaterThanOrEqual(10);
    }
    for (const kind of ['soft', 'redirect', 'apology', 'capability', 'hard']) {
      expect(refusals.filter((a) => a.kind === kind).length, kind).toBeGreaterThanOrEqual(5);
    }
    const answers = ALL_LABELLED_ANSWERS.filter((a) => !a.refusal);
    for (const kind of ['apology', 'idiom', 'quote', 'as-an-ai', 'caveat', 'plain']) {
      expect(answers.filter((a) => a.kind === kind).length, kind).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('detectRefusalText', () => {
  it('reads the gaps the issue found in REFUSAL_PATTERN the right way round', () => {
    expect(detectRefusalText("I won't be able to help with that.")?.phrase).toBe("I won't be able to help");
    expect(detectRefusalText("I'm not comfortable helping with that request.")?.phrase).toBe("I'm not comfortable");
    expect(detectRefusalText("I can't help but notice that the loop never ends.")).toBeUndefined();
    expect(detectRefusalText('As an AI researcher, you have probably read the scaling papers.')).toBeUndefined();
  });

  it('gives the phrase as it stands in the text, and where', () => {
    const text = 'Thanks for asking, but I CAN’T provide that.';
    const match = detectRefusalText(text);
    expect(match).toEqual({ phrase: 'I CAN’T provide', index: 23 });
    expect(text.slice(match?.index, (match?.index ?? 0) + (match?.phrase.length ?? 0))).toBe(match?.phrase);
    expect(detectRefusalText('First line.\nSorry, not able to assist with this.')).toEqual({ phrase: 'Sorry, not able to assist', index: 12 });
  });

  it('reads only the opening REFUSAL_WINDOW characters', () => {
    const opening = 'Here is the summary you asked for. '.repeat(Math.ceil(REFUSAL_WINDOW / 35));
    expect(detectRefusalText(`${opening}I can't help with that.`)).toBeUndefined();
    expect(detectRefusalText(`I can't help with that. ${opening}`)?.index).toBe(0);
  });

  it('sets aside a decline phrase inside quotes, one that introduces what follows, and a hedge', () => {
    expect(detectRefusalText('The bot replied "I can\'t help with that" twice.')).toBeUndefined();
    expect(detectRefusalText("The phrase `I cannot assist` is a refusal.")).toBeUndefined();
    expect(detectRefusalText("I won't pretend this is easy: you need three steps.")).toBeUndefined();
    expect(detectRefusalText("I can't give legal advice, but in general a lease needs both signatures.")).toBeUndefined();
    // A closed quotation before the phrase does not hide it.
    expect(detectRefusalText('You asked for "the full script". I can\'t provide that.')?.phrase).toBe("I can't provide");
  });

  it('answers undefined for an empty or non-string text', () => {
    expect(detectRefusalText('')).toBeUndefined();
    expect(detectRefusalText(undefined as unknown as string)).toBeUndefined();
  });
});

describe('notRefused', () => {
  const refusal = { source: 'provider', signal: 'anthropic.stop_reason', reason: 'refusal' } as const;

  it('fails on a refusal the provider signalled, whatever the text, and says so', () => {
    const result = notRefused().validate({ text: 'Here is an outline of the', refusal });
    expect(result).toEqual({
      valid: false,
      issues: [{
        validator: 'notRefused',
        path: '/refusal',
        keyword: 'providerRefusal',
        message: 'refused: signalled by the provider (anthropic.stop_reason: "refusal")',
        params: { source: 'provider', signal: 'anthropic.stop_reason', reason: 'refusal' },
      }],
    });
    expect(notRefused({ heuristic: false }).validate({ text: '', refusal }).issues[0]?.keyword).toBe('providerRefusal');
  });

  it('fails on a text that reads as a refusal when the provider signalled none, and says the heuristic caught it', () => {
    const result = notRefused().validate({ text: "I'm sorry, but I can't assist with that." });
    expect(result.valid).toBe(false);
    expect(result.issues).toEqual([{
      validator: 'notRefused',
      path: '/text',
      keyword: 'textRefusal',
      message: `refused: the text reads as a refusal (heuristic): "I can't assist" at 15 in "I'm sorry, but I can't assist with that."`,
      params: { source: 'heuristic', signal: 'text', reason: "I can't assist" },
    }]);
  });

  it('passes an answer, and a refusal in words only when the heuristic is off', () => {
    expect(notRefused().validate({ text: 'The capital of France is Paris.' })).toEqual({ valid: true, issues: [] });
    expect(notRefused().validate({})).toEqual({ valid: true, issues: [] });
    expect(notRefused({ heuristic: false }).validate({ text: "I can't help with that." })).toEqual({ valid: true, issues: [] });
  });

  it('reports a refusal the client already found by the heuristic as the heuristic\'s', () => {
    const result = notRefused().validate({ text: "I can't help with that.", refusal: { source: 'heuristic', signal: 'text', reason: "I can't help" } });
    expect(result.issues[0]).toMatchObject({ path: '/text', keyword: 'textRefusal', params: { source: 'heuristic' } });
  });

  it('keeps its keyword and params under another name, and in runValidators', () => {
    const report = runValidators([named('no_refusal', notRefused())], { text: 'I must decline this request.' });
    expect(report.failed).toEqual(['no_refusal']);
    expect(report.issues[0]).toMatchObject({ validator: 'no_refusal', keyword: 'textRefusal', params: { reason: 'I must decline this' } });
  });

  it('is exported by both validate entry points and rejects a heuristic option that is not a boolean', () => {
    expect(notRefusedPrecompiled).toBe(notRefused);
    expect(() => notRefused({ heuristic: 'yes' as unknown as boolean })).toThrow('invalid notRefused option heuristic: expected a boolean, got string');
  });
});
