import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  detectFormat,
  formatIssues,
  parseCorpus,
  parseCSV,
  parseCSVRecords,
  parseJSONArray,
  parseJSONL,
  parseShareGPT,
  readCorpus,
  loadCorpus,
  toRequest,
} from '../../../lib/workload/index';

const data = (name: string) => readFileSync(new URL(`../../../examples/data/${name}`, import.meta.url), 'utf8');

describe('parseCSVRecords (RFC 4180)', () => {
  it('splits plain fields on commas and records on CRLF or LF', () => {
    const { records, issues } = parseCSVRecords('a,b,c\r\n1,2,3\n4,5,6');
    expect(issues).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 3, fields: ['4', '5', '6'] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, and counts lines across them', () => {
    const text = 'prompt,n\n"Hello, world",1\n"She said ""hi""",2\n"line one\r\nline two",3\nlast,4\n';
    const { records, issues } = parseCSVRecords(text);
    expect(issues).toEqual([]);
    expect(records.map((r) => r.fields[0])).toEqual(['prompt', 'Hello, world', 'She said "hi"', 'line one\r\nline two', 'last']);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
  });

  it('reads empty fields, a quoted empty field and a trailing empty field', () => {
    const { records } = parseCSVRecords('a,"",c,\n');
    expect(records[0]?.fields).toEqual(['a', '', 'c', '']);
  });

  it('skips blank lines and a byte-order mark', () => {
    const { records } = parseCSVRecords('\uFEFFx,y\n\n1,2\n\n');
    expect(records).toEqual([
      { line: 1, fields: ['x', 'y'] },
      { line: 3, fields: ['1', '2'] },
    ]);
  });

  it('reports text after a closing quote with the record line and reads on', () => {
    const { records, issues } = parseCSVRecords('a,b\n"x"y,1\nok,2\n');
    expect(issues).toEqual([{ line: 2, message: 'invalid CSV: expected a comma or a line end after a closing quote, got "y"' }]);
    expect(records.map((r) => r.fields)).toEqual([['a', 'b'], ['ok', '2']]);
  });

  it('reports a quoted field left open at the end of the file', () => {
    const { issues } = parseCSVRecords('a\n"never closed\nmore');
    expect(issues).toEqual([{ line: 2, message: 'invalid CSV: a quoted field is not closed before the end of the file' }]);
  });
});

describe('parseCSV', () => {
  it('maps known columns, converts token counts and turns other columns into tags', () => {
    const text = 'prompt,system,expected_output_tokens,max_tokens,category\n"Hi, there",Be brief,120,256,greeting\nSecond,,,,\n';
    const { rows, issues } = parseCSV(text);
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { prompt: 'Hi, there', system: 'Be brief', expectedOutputTokens: 120, maxTokens: 256, tags: { category: 'greeting' } },
      { prompt: 'Second' },
    ]);
  });

  it('reads a messages column holding a JSON array', () => {
    const messages = JSON.stringify([{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }]);
    const { rows } = parseCSV(`messages\n"${messages.replace(/"/g, '""')}"\n`);
    expect(rows[0]?.messages?.map((m) => m.content)).toEqual(['a', 'b', 'c']);
  });

  it('reports a record with the wrong field count, a bad token count and a header without prompt, by line', () => {
    expect(parseCSV('prompt,category\nonly-one\nok,x\n').issues).toEqual([{ line: 2, message: 'invalid CSV record: expected 2 fields, got 1' }]);
    expect(parseCSV('prompt,max_tokens\nhi,lots\n').issues).toEqual([
      { line: 2, message: 'invalid maxTokens: expected a positive integer, got "lots"' },
    ]);
    expect(parseCSV('question,answer\nq,a\n').issues[0]?.message).toBe('invalid CSV header: expected a "prompt" or "messages" column, got question, answer');
  });
});

describe('parseJSONL', () => {
  it('skips blank lines and reports malformed ones with their line numbers', () => {
    const text = '{"prompt":"one"}\n\n   \n{"prompt": broken}\n"a bare string prompt"\r\n{"nope":1}\n{"prompt":"two","expected_output_tokens":40}\n';
    const { rows, issues } = parseJSONL(text);
    expect(rows).toEqual([{ prompt: 'one' }, { prompt: 'a bare string prompt' }, { prompt: 'two', expectedOutputTokens: 40 }]);
    expect(issues.map((i) => i.line)).toEqual([4, 6]);
    expect(issues[0]?.message).toMatch(/^invalid JSON: /);
    expect(issues[1]?.message).toBe('invalid row: expected a prompt or messages, got neither');
  });

  it('cuts a chat fine-tuning conversation at the last user turn and sizes the expected output from the answer', () => {
    const line = JSON.stringify({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'question' },
        { role: 'assistant', content: 'x'.repeat(400) },
      ],
    });
    const { rows } = parseJSONL(line);
    expect(rows[0]?.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'question' },
    ]);
    expect(rows[0]?.expectedOutputTokens).toBe(100);
  });

  it('reads ShareGPT records that come one per line', () => {
    const line = JSON.stringify({ conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello there' }] });
    expect(parseJSONL(line).rows).toEqual([{ messages: [{ role: 'user', content: 'hi' }], expectedOutputTokens: 3 }]);
  });

  it('refuses rows with both prompt and messages, bad roles and non-object tags', () => {
    const text = [
      JSON.stringify({ prompt: 'p', messages: [{ role: 'user', content: 'm' }] }),
      JSON.stringify({ messages: [{ role: 'robot', content: 'm' }] }),
      JSON.stringify({ prompt: 'p', tags: 'x' }),
      JSON.stringify({ messages: [{ role: 'assistant', content: 'only an answer' }] }),
    ].join('\n');
    expect(parseJSONL(text).issues.map((i) => i.message)).toEqual([
      'invalid row: expected prompt or messages, got both',
      'invalid messages[0]: expected { role: system | user | assistant | tool, content }, got {"role":"robot","content":"m"}',
      'invalid tags: expected an object, got "x"',
      'invalid messages: expected a user turn, got none',
    ]);
  });

  it('keeps explicit tags over same-named extra fields and stringifies scalar extras', () => {
    const { rows } = parseJSONL(JSON.stringify({ prompt: 'p', weight: 3, premium: true, category: 'a', tags: { category: 'b' }, nested: { x: 1 } }));
    expect(rows[0]?.tags).toEqual({ weight: '3', premium: 'true', category: 'b' });
  });
});

describe('parseShareGPT', () => {
  it('replays each conversation up to its last human turn, with the system turn apart and the next gpt turn as the expected size', () => {
    const { rows, issues } = parseShareGPT(data('sharegpt-sample.json'));
    expect(issues).toEqual([]);
    expect(rows).toHaveLength(5);
    const lisbon = rows[1];
    expect(lisbon?.system).toBe('You are a concise travel assistant.');
    expect(lisbon?.messages?.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(lisbon?.messages?.[2]?.content).toBe('What about day trips from there?');
    const answer = 'Sintra for the palaces and forest, Cascais for the coast, and Evora for Roman ruins and Alentejo food. ' +
      'Sintra and Cascais are under an hour by train; Evora is about ninety minutes by bus.';
    expect(lisbon?.expectedOutputTokens).toBe(Math.round(answer.length / 4));
    expect(lisbon?.tags).toEqual({ id: 'sg-002' });
  });

  it('leaves the expected size unknown when the conversation ends on a human turn', () => {
    const { rows } = parseShareGPT(data('sharegpt-sample.json'));
    expect(rows[3]?.messages?.at(-1)?.content).toBe('Is it better than just making extra repayments?');
    expect(rows[3]?.expectedOutputTokens).toBeUndefined();
  });

  it('accepts role/content turns and speaker aliases, drops empty turns, and numbers bad records', () => {
    const text = JSON.stringify([
      { conversations: [{ role: 'user', content: 'a' }, { from: 'chatgpt', value: '' }, { from: 'bard', value: 'bbbb' }, { from: 'USER', value: 'c' }] },
      { conversations: [{ from: 'narrator', value: 'x' }] },
      { conversations: [{ from: 'gpt', value: 'no question' }] },
      { notConversations: [] },
    ]);
    const { rows, issues } = parseShareGPT(text);
    expect(rows).toEqual([{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'bbbb' }, { role: 'user', content: 'c' }] }]);
    expect(issues.map((i) => i.record)).toEqual([2, 3, 4]);
    expect(issues[0]?.message).toMatch(/^invalid conversations\[0\]\.from: expected one of human, user, gpt/);
    expect(issues[1]?.message).toBe('invalid messages: expected a user turn, got none');
  });

  it('reports a file that is not JSON as one issue', () => {
    expect(parseShareGPT('[{"conversations": ').issues).toHaveLength(1);
    expect(parseShareGPT('[{"conversations": ').rows).toEqual([]);
  });
});

describe('format detection and corpus loading', () => {
  it('picks the format by extension first, then by content', () => {
    expect(detectFormat('{"prompt":"x"}', 'a/b.csv')).toBe('csv');
    expect(detectFormat('prompt\nx', 'data.jsonl')).toBe('jsonl');
    expect(detectFormat('[{"id":1,"conversations":[]}]', 'x.json')).toBe('sharegpt');
    expect(detectFormat('[{"prompt":"x"}]')).toBe('json');
    expect(detectFormat('\n  {"prompt":"x"}\n')).toBe('jsonl');
    expect(detectFormat('prompt,category\nx,y\n')).toBe('csv');
  });

  it('parses a JSON array of plain rows', () => {
    expect(parseJSONArray('["a", {"prompt":"b"}, 3]')).toEqual({
      rows: [{ prompt: 'a' }, { prompt: 'b' }],
      issues: [{ record: 3, message: 'invalid row: expected an object or a string, got 3' }],
    });
  });

  it('parses the bundled 30-prompt sample with every row usable and an expected output size on each', () => {
    const { rows, issues } = parseCorpus(data('prompts.jsonl'), 'auto', 'examples/data/prompts.jsonl');
    expect(issues).toEqual([]);
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => typeof r.expectedOutputTokens === 'number' && r.expectedOutputTokens > 0)).toBe(true);
    expect(rows.filter((r) => r.messages).length).toBe(2);
    expect(new Set(rows.map((r) => r.tags?.category)).size).toBeGreaterThanOrEqual(8);
  });

  it('throws at init naming the lines of unusable records, or skips them with a warning when asked', () => {
    const text = '{"prompt":"ok"}\nnot json\n{"x":1}\n';
    expect(() => readCorpus('c', text, {}, () => '')).toThrow(/^invalid corpus "c": 2 unusable record\(s\)\nline 2: invalid JSON: .*\nline 3: invalid row/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(readCorpus('c', text, { invalid: 'skip' }, () => '')).toEqual([{ prompt: 'ok' }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/^skipping corpus "c": 2 unusable record\(s\)\nline 2: /);
    warn.mockRestore();
  });

  it('reads a path through the given reader, detects its format from the extension and applies a limit', () => {
    const read = (path: string) => (path === 'p.csv' ? 'prompt\na\nb\nc\n' : '');
    expect(readCorpus('c', 'p.csv', { limit: 2 }, read)).toEqual([{ prompt: 'a' }, { prompt: 'b' }]);
    expect(readCorpus('c', { path: 'p.csv' }, {}, read)).toHaveLength(3);
    expect(readCorpus('c', { text: 'prompt\nz\n' }, { format: 'csv' }, read)).toEqual([{ prompt: 'z' }]);
  });

  it('refuses an empty corpus and a bad limit', () => {
    expect(() => readCorpus('c', { text: '\n\n' }, { format: 'jsonl' }, () => '')).toThrow('invalid corpus "c": expected at least one usable row, got none');
    expect(() => readCorpus('c', { text: '"a"\n' }, { limit: 0 }, () => '')).toThrow('invalid limit: expected a positive integer, got 0');
  });

  it('loads corpus text into a SharedArray of normalized rows', () => {
    const corpus = loadCorpus('inline', 'prompt,expected_output_tokens\nHello,12\n');
    expect(corpus.length).toBe(1);
    expect(corpus[0]).toEqual({ prompt: 'Hello', expectedOutputTokens: 12 });
  });

  it('formats at most five issues and counts the rest', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ line: i + 1, message: 'bad' }));
    expect(formatIssues(issues).split('\n')).toEqual(['line 1: bad', 'line 2: bad', 'line 3: bad', 'line 4: bad', 'line 5: bad', '... and 2 more']);
  });
});

describe('toRequest', () => {
  it('turns a prompt row into a request over the defaults, the row winning on system and maxTokens', () => {
    const req = toRequest({ prompt: 'Hi', system: 'row system', maxTokens: 50, expectedOutputTokens: 20 }, { system: 'default', maxTokens: 500, temperature: 0 });
    expect(req).toEqual({ prompt: 'Hi', system: 'row system', maxTokens: 50, temperature: 0 });
  });

  it('puts a few-shot preamble from the defaults before the row conversation or prompt', () => {
    const preamble = [{ role: 'user' as const, content: 'ex q' }, { role: 'assistant' as const, content: 'ex a' }];
    expect(toRequest({ prompt: 'real q' }, { messages: preamble }).messages?.map((m) => m.content)).toEqual(['ex q', 'ex a', 'real q']);
    expect(toRequest({ messages: [{ role: 'user', content: 'm' }] }, { messages: preamble, prompt: 'ignored' })).toEqual({
      messages: [...preamble, { role: 'user', content: 'm' }],
    });
  });

  it('refuses a row without a prompt or messages', () => {
    expect(() => toRequest({} as never)).toThrow('invalid corpus row: expected a row with prompt or messages');
  });
});
