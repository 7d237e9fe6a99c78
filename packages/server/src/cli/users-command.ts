import { randomBytes } from 'node:crypto';
import { cliActor } from '../users/audit-actors.js';
import { lastAdminProblem } from '../users/last-admin.js';
import { hashPassword, passwordProblem } from '../users/password-hash.js';
import { isRole } from '../users/roles.js';
import type { User } from '../users/user-store.js';
import { openCliStore } from './cli-store.js';
import {
  usersCreateHelp,
  usersDisableHelp,
  usersEnableHelp,
  usersHelp,
  usersListHelp,
  usersSetRoleHelp,
} from './help-text.js';
import type { CliIo } from './keys-command.js';
import { readSubcommand } from './subcommand-args.js';

export interface UsersCliIo extends CliIo {
  /** All of standard input, for --password-stdin. */
  readonly readStdin: () => Promise<string>;
}

const options = {
  help: { type: 'boolean', short: 'h' },
  db: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const help: Record<string, string> = {
  create: usersCreateHelp,
  list: usersListHelp,
  'set-role': usersSetRoleHelp,
  disable: usersDisableHelp,
  enable: usersEnableHelp,
};

/** `weft-server users ...`; answers the process exit code. */
export async function runUsersCommand(args: readonly string[], io: UsersCliIo): Promise<number> {
  const read = readSubcommand(args, { name: 'users', help: usersHelp, usages: help, options }, io);
  if ('exitCode' in read) return read.exitCode;
  const { command, usage, parsed } = read;
  const fail = (message: string) => {
    io.err(`${message}\n\n${usage}`);
    return 1;
  };
  // The password is hashed (~100 ms) before the database is opened, so it is open only to write.
  let newUser: { email: string; role: User['role']; name: string | undefined; passwordHash: string } | undefined;
  let generated: string | undefined;
  if (command === 'create') {
    const { email, role, name } = parsed.values;
    if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) return fail('--email: an address such as ada@example.com');
    if (!isRole(role)) return fail('--role: admin, member or viewer');
    let password: string;
    if (parsed.values['password-stdin']) {
      // One trailing line break is the pipe's, not the password's.
      password = (await io.readStdin()).replace(/\r?\n$/, '');
    } else {
      // 144 random bits, printed once.
      generated = randomBytes(18).toString('base64url');
      password = generated;
    }
    const problem = passwordProblem(password);
    if (problem) return fail(problem);
    newUser = { email, role, name, passwordHash: await hashPassword(password) };
  }
  const opened = await openCliStore(parsed.values.db, io.env);
  try {
    const accounts = opened.users.accounts;
    const audit = opened.users.audit;
    const record = (action: string, user: User, detail: Record<string, unknown>) =>
      audit.record({ actor: cliActor, action, target: user.id, detail: { email: user.email, ...detail } });
    if (newUser) {
      const user = await accounts.create(newUser);
      if (!user) return fail(`a user with email ${newUser.email} exists`);
      await record('user.created', user, { role: user.role });
      io.out(`created ${describe(user)}\n`);
      if (generated) {
        io.out(`password: ${generated}\nThis password is shown only once: give it to them by a safe channel.\n`);
      }
      return 0;
    }
    if (command === 'list') {
      const users = await accounts.list();
      if (parsed.values.json) io.out(users.map((user) => `${JSON.stringify(user)}\n`).join(''));
      else io.out(users.length === 0 ? 'no users\n' : users.map((user) => `${describe(user)}\n`).join(''));
      return 0;
    }
    const [email, role] = parsed.positionals;
    const user = email ? await accounts.byEmail(email) : undefined;
    if (!user) return fail(email ? `no user has email ${email}` : `users ${command} needs the email of a user`);
    if (command === 'set-role') {
      if (!isRole(role)) return fail('the role: admin, member or viewer');
      const problem = lastAdminProblem(user, { role }, await accounts.countAdmins());
      if (problem) return fail(problem);
      const changed = await accounts.setRole(user.id, role);
      if (changed === 'last_admin') return fail(lastAdminProblem(user, { role }, 1) ?? 'the last active admin');
      if (role !== user.role) await record('user.role_changed', user, { from: user.role, to: role });
      io.out(`${changed ? describe(changed) : user.id}\n`);
      return 0;
    }
    const isDisabled = command === 'disable';
    const problem = isDisabled ? lastAdminProblem(user, { isDisabled }, await accounts.countAdmins()) : undefined;
    if (problem) return fail(problem);
    const changed = await accounts.setDisabled(user.id, isDisabled);
    if (changed === 'last_admin') return fail(lastAdminProblem(user, { isDisabled }, 1) ?? 'the last active admin');
    await record(isDisabled ? 'user.disabled' : 'user.enabled', user, {});
    io.out(`${changed ? describe(changed) : user.id}\n`);
    return 0;
  } finally {
    await opened.events.close();
  }
}

function describe(user: User): string {
  const parts = [user.id, user.email, user.role, user.name ? `"${user.name}"` : '', `created ${iso(user.createdAt)}`];
  if (user.disabledAt !== null) parts.push(`disabled ${iso(user.disabledAt)}`);
  return parts.filter(Boolean).join('  ');
}

const iso = (ms: number) => new Date(ms).toISOString();
