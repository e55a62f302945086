// Recording fake of the k6 module: sleep() records instead of blocking.
export const slept: number[] = [];

export function sleep(seconds: number): void {
  slept.push(seconds);
}

export const checks: Array<{ name: string; pass: boolean; tags: Record<string, string> }> = [];

export function check<T>(value: T, sets: Record<string, (v: T) => boolean>, tags: Record<string, string> = {}): boolean {
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    const pass = Boolean(fn(value));
    checks.push({ name, pass, tags: { ...tags } });
    all &&= pass;
  }
  return all;
}

export function fail(message?: string): never {
  throw new Error(message);
}

export default { sleep, check, fail };
