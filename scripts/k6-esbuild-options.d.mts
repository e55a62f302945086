import type { BuildOptions } from 'esbuild';
export declare const K6_TARGET: string;
export declare const K6_SUPPORTED: Record<string, boolean>;
export declare const K6_BUNDLE_OPTIONS: BuildOptions;
