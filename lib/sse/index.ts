// Public entry `k6-llm/sse`: spec-exact Server-Sent Events and NDJSON parsing, pure string code with no k6 import.
export { createSSEParser, parseSSE } from './sse-parser';
export { createNDJSONParser, parseNDJSON } from './ndjson-parser';
export type {
  NDJSONParseResult,
  NDJSONParser,
  NDJSONParserOptions,
  SSEMessage,
  SSEParser,
  SSEParserOptions,
  StreamParseError,
} from './types';
