// Imports every built public entry by file path, the way a k6 script imports a jslib
// module, and exercises one function of each: proof that the bundles' syntax runs in
// k6's JavaScript runtime.
import { check } from 'k6';
import * as main from '../../../dist/index.js';
import * as sse from '../../../dist/sse.js';
import * as providers from '../../../dist/providers.js';
import * as cost from '../../../dist/cost.js';
import * as retry from '../../../dist/retry.js';
import * as validate from '../../../dist/validate.js';
import * as metrics from '../../../dist/metrics.js';
import * as transport from '../../../dist/transports/relay.js';

export const options = { iterations: 1 };

const schema = validate.jsonSchema({ type: 'object', required: ['a'], properties: { a: { type: 'integer' }, when: { type: 'string', format: 'date-time' } } });

export default function () {
  const events = sse.parseSSE('data: a\r\n\r\ndata: b\rdata: c\r\r');
  const completion = providers.providers['openai-chat'].parseBody('data: {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n', { stream: true });
  const results = {
    sse: events.length === 2 && events[1].data === 'b\nc',
    providers: completion.text === 'hi' && completion.complete === true,
    cost: Math.abs(cost.costOf({ inputTokens: 1e6, outputTokens: 1e6, source: 'server' }, { input: 1, output: 2 }) - 3) < 1e-9,
    retry: retry.parseDuration('2m52.8s') === 172800 && retry.isRetryable(529, {}) === true,
    validate: schema.validate({ text: '{"a":1,"when":"2026-11-29T10:00:00Z"}' }).valid === true &&
      schema.validate({ text: '{"a":"x","when":"yesterday"}' }).issues.length === 2,
    metrics: typeof metrics.llmMetrics.ttft.add === 'function' && metrics.METRIC_NAMES.ttft === 'llm_ttft',
    main: typeof main.createClient === 'function' && main.outputBucket(300) === '257-1024',
    transport: typeof transport.relayTransport === 'function' && transport.relayTransport({ url: 'http://127.0.0.1:9' }).perEvent === true,
  };
  console.log(`entries ${JSON.stringify(results)}`);
  for (const [name, ok] of Object.entries(results)) check(null, { [`entry ${name} works in k6`]: () => ok });
}
