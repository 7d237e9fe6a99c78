#!/usr/bin/env node
import { mainHelp, serveHelp } from './cli/help-text.js';
import { runKeysCommand } from './cli/keys-command.js';
import { parseServeArgs } from './cli/serve-args.js';
import { runServeCommand } from './cli/serve-command.js';
import { runUsersCommand } from './cli/users-command.js';

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
  env: process.env,
};
const [command, ...rest] = process.argv.slice(2);

try {
  if (command === 'keys') {
    process.exitCode = await runKeysCommand(rest, io);
  } else if (command === 'users') {
    process.exitCode = await runUsersCommand(rest, { ...io, readStdin: () => readAll(process.stdin) });
  } else if (command === '--help' || command === '-h' || command === 'help') {
    io.out(mainHelp);
  } else if (command === undefined || command === 'serve') {
    const args = parseServeArgs(rest);
    if ('error' in args) {
      io.err(`${args.error}\n\n${serveHelp}`);
      process.exitCode = 1;
    } else if (args.help) {
      io.out(serveHelp);
    } else {
      await runServeCommand(io);
    }
  } else {
    io.err(`unknown command "${command}"\n\n${mainHelp}`);
    process.exitCode = 1;
  }
} catch (error) {
  io.err(`weft-server: ${(error as Error).message}\n`);
  process.exitCode = 1;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
