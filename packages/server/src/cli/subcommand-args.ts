import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>>;

export interface SubcommandSpec<O extends Options> {
  /** `keys`, `users`: as `weft-server <name> …` is typed. */
  readonly name: string;
  /** The group's help, shown for `--help` and after a missing or unknown command. */
  readonly help: string;
  /** Each command's own usage, by command. */
  readonly usages: Readonly<Record<string, string>>;
  readonly options: O;
}

export type SubcommandArgs<O extends Options> =
  | { readonly command: string; readonly usage: string; readonly parsed: Parsed<O> }
  | { readonly exitCode: number };

/**
 * Reads `weft-server <name> <command> [options]`: help asked for is printed (exit 0); a missing or
 * unknown command, or a bad option, is a usage error on stderr (exit 1), so that a script calling
 * it by mistake notices. Otherwise the command, its usage and its parsed options.
 */
export function readSubcommand<O extends Options>(
  args: readonly string[],
  spec: SubcommandSpec<O>,
  io: { readonly out: (text: string) => void; readonly err: (text: string) => void },
): SubcommandArgs<O> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(spec.help);
    return { exitCode: 0 };
  }
  if (command === undefined) {
    io.err(`weft-server ${spec.name} needs a command\n\n${spec.help}`);
    return { exitCode: 1 };
  }
  const usage = Object.hasOwn(spec.usages, command) ? spec.usages[command] : undefined;
  if (usage === undefined) {
    io.err(`unknown ${spec.name} command "${command}"\n\n${spec.help}`);
    return { exitCode: 1 };
  }
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...rest], options: spec.options, allowPositionals: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage}`);
    return { exitCode: 1 };
  }
  if ((parsed.values as Record<string, unknown>).help) {
    io.out(usage);
    return { exitCode: 0 };
  }
  return { command, usage, parsed };
}
