/**
 * Values for each format that has a fast path (lib/validate/ajv-fast-paths.ts): common valid shapes, corner cases
 * that ajv-formats accepts but the fast regex leaves to it (leap day, leap second, other separators, URNs, IPv6 and
 * user info), and near misses it rejects. The unit tests (Node) and the k6 runtime check (Sobek) both require the
 * fast path to give ajv-formats' answer on every one.
 */
export const FORMAT_CASES: Record<string, string[]> = {
  date: ['2025-01-15', '2025-02-28', '2024-02-29', '2023-02-29', '2025-04-30', '2025-04-31', '2025-12-31', '2025-13-01', '2025-00-10', '2025-01-00', '0000-01-01', '2025-1-15', '2025-01-15x', ''],
  time: [
    '10:30:00Z', '10:30:00z', '10:30:00.123456Z', '10:30:00+01:00', '10:30:00+0100', '10:30:00+01', '10:30:00-23:59', '23:59:60Z',
    '23:59:60+01:00', '00:59:60+01:00', '10:30:00', '24:00:00Z', '10:60:00Z', '10:30:61Z', '10:30:00+24:00', '10:30:00+01:60', '10:30:00.Z',
  ],
  'date-time': [
    '2025-01-15T10:30:00Z', '2025-01-15t10:30:00z', '2025-01-15 10:30:00Z', '2025-01-15\t10:30:00Z', '2025-02-01T08:00:00.123+01:00',
    '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2025-04-31T00:00:00Z', '2016-12-31T23:59:60Z', '2016-12-31T23:59:60+01:00',
    '2025-01-15T10:30:00', '2025-01-15T24:00:00Z', '2025-01-15TT10:30:00Z', '2025-01-15T10:30:00Z ', 'now',
  ],
  uri: [
    'https://example.com/users/ada', 'http://a.b:8080/p/q?x=1&y=%20#frag', 'HTTP://EXAMPLE.COM/%7Euser', 'ftp://a/b?c=d/e?f#g/h?',
    'urn:isbn:0451450523', 'mailto:ada@example.com', 'http://[::1]/', 'http://user:pw@host/', 'http://192.168.0.1:80/', 'http://h/a b',
    'http://exa mple.com', 'example.com', '//example.com', 'http://%zz/', 'http://h/%zz', ':', '',
  ],
};
