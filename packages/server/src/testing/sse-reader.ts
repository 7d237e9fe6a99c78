/** One Server-Sent Events message as a reader sees it; a comment (`: …`) has only `comment`. */
export interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly comment?: string;
}

/**
 * Reads an SSE response body message by message, as a client using a streaming fetch would (the
 * feed needs an Authorization header, which EventSource cannot send).
 */
export function readSse(body: ReadableStream<Uint8Array>): {
  next(timeoutMs: number): Promise<SseMessage | undefined>;
  cancel(): Promise<void>;
} {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let isDone = false;
  const queue: SseMessage[] = [];
  // A read outlives the wait that started it: a chunk that arrives after a timeout is kept for the next call.
  let pending: ReturnType<typeof reader.read> | undefined;

  function parse(): void {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end === -1) return;
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) message.comment = line.slice(1).trim();
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        message[field] = field === 'data' && message.data !== undefined ? `${message.data}\n${value}` : value;
      }
      queue.push(message);
    }
  }

  return {
    async next(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0 && !isDone) {
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        pending ??= reader.read();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chunk = await Promise.race([
          pending,
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), left);
          }),
        ]);
        clearTimeout(timer);
        if (chunk === 'timeout') return undefined;
        pending = undefined;
        if (chunk.done) isDone = true;
        else {
          buffer += decoder.decode(chunk.value, { stream: true });
          parse();
        }
      }
      return queue.shift();
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
