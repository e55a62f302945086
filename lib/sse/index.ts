// Public entry `k6-llm/sse`: spec-exact Server-Sent Events and NDJSON parsing, pure string code with no k6 import.
export { createSSEParser, parseSSE } from './sse-parser.js';
export { createNDJSONParser, parseNDJSON } from './ndjson-parser.js';
export type {
  NDJSONParseResult,
  NDJSONParser,
  NDJSONParserOptions,
  SSEMessage,
  SSEParser,
  SSEParserOptions,
  StreamParseError,
} from './types.js';
