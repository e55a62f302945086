// Corpus row -> the client's neutral ChatRequest.
import type { ChatRequest } from '../providers/types';
import type { CorpusRow } from './corpus-row';

/**
 * Builds a chat request from a corpus row over `defaults` (maxTokens, temperature, tools, headers, ...). The row's
 * `system` and `maxTokens` win over the defaults'; `defaults.messages` (a few-shot preamble, say) go before the
 * row's conversation. `expectedOutputTokens` is not turned into a cap: a cap that short would cut real answers.
 */
export function toRequest(row: CorpusRow, defaults: ChatRequest = {}): ChatRequest {
  if (!row || (row.prompt === undefined && row.messages === undefined)) {
    throw new Error('invalid corpus row: expected a row with prompt or messages');
  }
  const request: ChatRequest = { ...defaults };
  delete request.prompt;
  const preamble = defaults.messages ?? [];
  if (row.messages) request.messages = preamble.concat(row.messages);
  else if (preamble.length > 0) request.messages = preamble.concat([{ role: 'user', content: row.prompt as string }]);
  else {
    delete request.messages;
    request.prompt = row.prompt;
  }
  if (row.system !== undefined) request.system = row.system;
  if (row.maxTokens !== undefined) request.maxTokens = row.maxTokens;
  return request;
}
