export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, unknown> & { msg: string };

export interface Logger {
  info(fields: LogFields): void;
  warn(fields: LogFields): void;
  error(fields: LogFields): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function isLogLevel(value: string): value is LogLevel {
  return value in rank;
}

/** One JSON object per line, so logs can be shipped and queried without parsing prose. */
export function createJsonLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line),
  now: () => number = Date.now,
): Logger {
  const emit = (lineLevel: Exclude<LogLevel, 'silent'>, fields: LogFields) => {
    if (rank[lineLevel] < rank[level]) return;
    write(`${JSON.stringify({ level: lineLevel, time: new Date(now()).toISOString(), ...fields })}\n`);
  };
  return {
    info: (fields) => emit('info', fields),
    warn: (fields) => emit('warn', fields),
    error: (fields) => emit('error', fields),
  };
}

export const silentLogger: Logger = createJsonLogger('silent', () => {});
