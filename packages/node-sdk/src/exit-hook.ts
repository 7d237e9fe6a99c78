// One `beforeExit` listener for every open client, rather than one each (Node warns past ten).
// Node emits beforeExit when nothing but unref'd timers is left: each client with events queued
// makes its one bounded final flush then and unregisters, so the hook cannot loop.

export type ExitHandler = () => void;

const handlers = new Set<ExitHandler>();

function onBeforeExit(): void {
  for (const handler of [...handlers]) handler();
}

export function registerExitHandler(handler: ExitHandler): void {
  if (handlers.size === 0) process.on('beforeExit', onBeforeExit);
  handlers.add(handler);
}

export function unregisterExitHandler(handler: ExitHandler): void {
  if (!handlers.delete(handler)) return;
  if (handlers.size === 0) process.off('beforeExit', onBeforeExit);
}
