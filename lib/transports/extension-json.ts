// The k6 extension's one-pass JSON parser, as it is (for validators) and as reader options for the providers' stream
// readers. Like the sse
// transport, its only importer besides the overhead bench, this module needs k6-llm's k6 (k6/x/llmstream).
import llmstream from 'k6/x/llmstream';
import type { ReaderOptions } from '../providers/types';

/**
 * The extension's parser as it is: the value, or undefined for input it leaves to JSON.parse. Undefined on an
 * extension build that predates it.
 */
export const extensionParseJSON: ((text: string) => unknown) | undefined =
  typeof llmstream.parseJSON === 'function' ? llmstream.parseJSON : undefined;

/**
 * JSON.parse through the extension's parser, several times faster in k6 for the small JSON of each stream event.
 * What it declines (invalid JSON and a few rare valid inputs) goes to JSON.parse, so every value and every error is
 * JSON.parse's. Undefined on an extension build that predates parseJSON: the readers then use JSON.parse.
 */
const fast = extensionParseJSON;
export const extensionReaderOptions: ReaderOptions | undefined =
  fast !== undefined
    ? {
        parseJson(text: string): unknown {
          const value = fast(text);
          return value !== undefined ? value : JSON.parse(text);
        },
      }
    : undefined;
