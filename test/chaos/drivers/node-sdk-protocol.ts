// Messages between the chaos harness and the @weft/node app it runs in a child process (IPC).
import type { SdkTiming } from './driver.js';

export interface NodeAppConfig {
  host: string;
  writeKey: string;
  /** The app's durable queue: it survives a SIGKILL and the next life sends what it holds. */
  queueDir: string;
  /** messageIds are `${idPrefix}-${seq}`: unique across the app's lives. */
  idPrefix: string;
  timing: SdkTiming;
  /** Seeds the SDK's retry jitter. */
  seed: number;
}

export type ToApp = { type: 'send'; count: number; requestId: number } | { type: 'drain'; timeoutMs: number };

export type FromApp =
  | { type: 'ready'; loaded: number }
  | { type: 'accepted'; requestId: number; messageIds: string[] }
  | { type: 'delivered'; messageIds: string[] }
  | { type: 'dropped'; messageIds: string[]; code: string; message: string }
  | { type: 'retry'; attempt: number; reason: string }
  | { type: 'error'; message: string }
  | { type: 'drained'; isComplete: boolean; pending: number };
