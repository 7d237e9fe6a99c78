import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../', import.meta.url));

/**
 * Runs a bench script of this package in a process of its own; answers the JSON it printed. `pin`
 * prefixes the command (`taskset -c 1`).
 */
export function runJson(script: string, args: string[], pin: readonly string[] = []): Promise<Record<string, unknown>> {
  const [command = process.execPath, ...commandArgs] = [...pin, process.execPath, '--import', 'tsx', script, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${script} exited ${code}`))));
  });
}
