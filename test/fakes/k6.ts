// Recording fake of the k6 module: sleep() records instead of blocking.
export const slept: number[] = [];

export function sleep(seconds: number): void {
  slept.push(seconds);
}

export function check<T>(value: T, sets: Record<string, (v: T) => boolean>): boolean {
  return Object.values(sets).every((fn) => fn(value));
}

export function fail(message?: string): never {
  throw new Error(message);
}

export default { sleep, check, fail };
