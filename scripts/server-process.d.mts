import type { ChildProcess } from 'node:child_process';
export interface ServerProcess {
  url: string;
  /** `NAME=value` lines the server printed with its address. */
  vars: Record<string, string>;
  child: ChildProcess;
  stop(): Promise<number | null>;
}
export interface ServerProcessOptions {
  timeoutMs?: number;
  stderr?: 'inherit' | 'pipe' | 'ignore';
  bin?: string;
}
export declare function startServerProcess(command: string, args?: string[], options?: ServerProcessOptions): Promise<ServerProcess>;
export declare function startMockProcess(args?: string[], options?: ServerProcessOptions): Promise<ServerProcess>;
export declare function startRelayProcess(args?: string[], options?: ServerProcessOptions): Promise<ServerProcess>;
export type MockProcess = ServerProcess;
