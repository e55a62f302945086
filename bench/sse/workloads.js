// Benchmark inputs shared by the Node bench (run-node.mjs) and the k6 bench (k6-parse.js): plain ES2017, no
// Node or k6 API, so both runtimes parse exactly the same text.

const TOKENS = ['Hello', ' world', ',', ' this', ' is', ' a', ' streamed', ' answer', '.', ' Load', ' testing', ' LLMs'];

/** An OpenAI Chat Completions stream of at least `targetChars` characters, ending in `data: [DONE]`. */
export function openAIChatStream(targetChars) {
  const parts = [];
  let size = 0;
  let events = 0;
  while (size < targetChars) {
    const token = TOKENS[events % TOKENS.length];
    const block =
      'data: {"id":"chatcmpl-B9x2kQ7","object":"chat.completion.chunk","created":1764300000,' +
      '"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,' +
      '"delta":{"content":' + JSON.stringify(token) + '},"logprobs":null,"finish_reason":null}]}\n\n';
    parts.push(block);
    size += block.length;
    events++;
  }
  parts.push('data: [DONE]\n\n');
  return { text: parts.join(''), events: events + 1 };
}

/**
 * An Anthropic-style stream, one token per `content_block_delta` event, as one chunk per event. Each chunk is
 * built with join() so that it is one flat string, like text decoded from the network, not a V8 rope of `+` parts.
 */
export function oneTokenPerEventChunks(count) {
  const chunks = [];
  for (let i = 0; i < count; i++) {
    chunks.push(
      [
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":',
        JSON.stringify(TOKENS[i % TOKENS.length]),
        '}}\n\n',
      ].join(''),
    );
  }
  return chunks;
}

/** Cuts `text` into chunks of `min`..`max` characters, sizes drawn from a seeded PRNG (mulberry32). */
export function splitIntoChunks(text, min, max, seed) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const chunks = [];
  for (let at = 0; at < text.length; ) {
    const size = min + Math.floor(random() * (max - min + 1));
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/**
 * The naive parser many load-test scripts start with: split the whole body on blank lines, then on LF, and keep
 * what follows "data: ". Wrong for CR line ends, comments, `data:` without a space and events split across chunks;
 * here only as a speed floor. Returns the number of events and the total data length.
 */
export function naiveParse(text) {
  let events = 0;
  let dataChars = 0;
  const blocks = text.split('\n\n');
  for (let b = 0; b < blocks.length; b++) {
    const lines = blocks[b].split('\n');
    const data = [];
    for (let l = 0; l < lines.length; l++) {
      if (lines[l].startsWith('data: ')) data.push(lines[l].slice(6));
    }
    if (data.length > 0) {
      events++;
      dataChars += data.join('\n').length;
    }
  }
  return { events, dataChars };
}
