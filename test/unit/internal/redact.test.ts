import { describe, expect, it } from 'vitest';
import { redactionOf, requestSecrets } from '../../../lib/internal/redact';

describe('redactionOf', () => {
  it('replaces every occurrence of every secret, the longest first', () => {
    const redact = redactionOf(['sk-abc', 'sk-abc-long', undefined]);
    expect(redact?.('key sk-abc-long and sk-abc, again sk-abc')).toBe('key [redacted] and [redacted], again [redacted]');
  });

  it('is undefined when no secret is long enough to be a key', () => {
    expect(redactionOf([undefined, '', 'abc'])).toBeUndefined();
  });
});

describe('requestSecrets', () => {
  it('takes the credential headers (Authorization with and without its scheme), and the key query parameter', () => {
    const headers = {
      Authorization: 'Bearer sk-one',
      'x-goog-api-key': 'g-two',
      'X-Service-Token': 't-three',
      'Content-Type': 'application/json',
      'anthropic-version': '2023-06-01',
    };
    expect(requestSecrets(headers, new URL('https://example.com/v1/models/m:generateContent?alt=sse&key=q-four'))).toEqual([
      'Bearer sk-one',
      'sk-one',
      'g-two',
      't-three',
      'q-four',
    ]);
  });
});
