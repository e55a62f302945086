// The expected-status callback for k6's `http_req_failed`: 200-399, plus the statuses about to be retried.
import http from 'k6/http';

const strictCallback = http.expectedStatuses({ min: 200, max: 399 });
type Callback = ReturnType<typeof http.expectedStatuses>;
const callbacks = new Map<string, Callback>();
// The client passes the same frozen list (103 statuses by default) on every request: the last frozen list seen is
// matched by identity, since joining it into a key took ~20 µs of k6's CPU per request. A frozen list cannot change.
let frozenList: readonly number[] | undefined;
let frozenCallback: Callback = strictCallback;

/** The callback for one attempt: statuses in `lenient` do not count as failed (they are about to be retried). */
export function responseCallback(lenient: readonly number[]): Callback {
  if (lenient === frozenList) return frozenCallback;
  if (lenient.length === 0) return strictCallback;
  const key = lenient.join(',');
  let cb = callbacks.get(key);
  if (!cb) {
    cb = http.expectedStatuses({ min: 200, max: 399 }, ...lenient);
    callbacks.set(key, cb);
  }
  if (Object.isFrozen(lenient)) {
    frozenList = lenient;
    frozenCallback = cb;
  }
  return cb;
}
