// API keys never reach logs, tags, summaries or reports: the redaction a response decoder applies to the error message
// of every Completion it builds (a server may echo a key back: "Incorrect API key provided: sk-...").

/** Replaces each secret in a text with `[redacted]`. */
export type Redact = (text: string) => string;

/** The shortest secret redacted: a shorter one would mangle ordinary words and is no real key. */
const MIN_SECRET_LENGTH = 4;

/** A redaction of the given secrets, or undefined when there is none long enough to redact. */
export function redactionOf(secrets: readonly (string | undefined)[]): Redact | undefined {
  const kept: string[] = [];
  for (let i = 0; i < secrets.length; i++) {
    const secret = secrets[i];
    if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH && kept.indexOf(secret) < 0) kept.push(secret);
  }
  if (kept.length === 0) return undefined;
  // Longest first, so a key that contains another is replaced whole.
  kept.sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (let i = 0; i < kept.length; i++) out = out.split(kept[i] as string).join('[redacted]');
    return out;
  };
}

// Header names that carry credentials: `Authorization` and the providers' key headers (`x-api-key`, `api-key`,
// `x-goog-api-key`), and whatever a custom provider names its key header (`X-Service-Token`, `Ocp-Apim-Subscription-Key`).
const CREDENTIAL_HEADER = /auth|key|token|secret|password|credential/i;

/**
 * The secrets an outgoing request carries, for a process that sends requests it did not build (the relay): the
 * values of its credential headers (for `Authorization`, the credentials after the scheme too) and of a `key`
 * query parameter (Gemini's `?key=`).
 */
export function requestSecrets(headers: Readonly<Record<string, string>>, url: URL): string[] {
  const secrets: string[] = [];
  for (const name in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, name) || !CREDENTIAL_HEADER.test(name)) continue;
    const value = (headers[name] as string).trim();
    secrets.push(value);
    const space = value.indexOf(' ');
    if (space > 0 && /^authorization$/i.test(name)) secrets.push(value.slice(space + 1).trim());
  }
  for (const key of url.searchParams.getAll('key')) secrets.push(key);
  return secrets;
}
