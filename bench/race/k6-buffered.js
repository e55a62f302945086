// The race bench's memory reference: a minimal stock-k6 script holding STREAMS buffered requests open at once, with
// no k6-llm at all: each VU posts the same streamed request with k6/http and waits for the whole body.
import http from 'k6/http';
import { raceOptions, staggerFirstRequest, UPSTREAM_BODY } from './workload.js';

export const options = raceOptions();
const params = { headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench-key' }, timeout: '60s' };

export default function () {
  staggerFirstRequest();
  http.post(`${__ENV.TRUTH_URL}/v1/chat/completions`, UPSTREAM_BODY, params);
}
