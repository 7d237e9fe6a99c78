import { parseArgs } from 'node:util';

export type ServeArgs = { readonly help: boolean } | { readonly error: string };

/**
 * `serve` takes its settings from the environment only; any other argument is refused by name,
 * since silently ignoring `--port 9000` would start the server somewhere the user did not ask.
 */
export function parseServeArgs(args: readonly string[]): ServeArgs {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
    return { help: values.help === true };
  } catch (error) {
    return { error: `weft-server serve: ${(error as Error).message} (settings come from the environment)` };
  }
}
