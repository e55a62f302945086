export declare const PINNED_K6_VERSION: string;
export declare function cacheDir(): string;
export declare function cachedK6Path(): string;
export declare function k6VersionOf(bin: string): { line: string; version?: string; major?: number; extensions: boolean } | undefined;
export declare function ensureK6(options?: { log?: (message: string) => void }): string;
