import type { Credential } from '../auth/credential-store.js';
import { isWriteKeyKind } from '../auth/secrets.js';
import { checkKeyName, checkPolicy, isPublishableKeyId, type PublishableKey } from '../personalize/publishable-key.js';
import { cliActor } from '../users/audit-actors.js';
import { openCliStore } from './cli-store.js';
import { keysCreateHelp, keysHelp, keysListHelp, keysRevokeHelp } from './help-text.js';
import { readSubcommand } from './subcommand-args.js';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Record<string, string | undefined>;
}

/** `weft-server keys ...`; answers the process exit code. */
export async function runKeysCommand(args: readonly string[], io: CliIo): Promise<number> {
  const options = {
    help: { type: 'boolean', short: 'h' },
    db: { type: 'string' },
    admin: { type: 'boolean' },
    source: { type: 'string' },
    kind: { type: 'string' },
    json: { type: 'boolean' },
    publishable: { type: 'boolean' },
    name: { type: 'string' },
    traits: { type: 'string' },
    computed: { type: 'string' },
    audiences: { type: 'string' },
    origins: { type: 'string' },
  } as const;
  const read = readSubcommand(
    args,
    {
      name: 'keys',
      help: keysHelp,
      usages: { create: keysCreateHelp, list: keysListHelp, revoke: keysRevokeHelp },
      options,
    },
    io,
  );
  if ('exitCode' in read) return read.exitCode;
  const { command, usage, parsed } = read;
  const opened = await openCliStore(parsed.values.db, io.env);
  try {
    const store = opened.credentials;
    const publishable = opened.personalize.keys;
    const audit = opened.users.audit;
    const record = (action: string, target: string, kind: string) =>
      audit.record({ actor: cliActor, action, target, detail: { kind } });
    if (command === 'create' && parsed.values.publishable) {
      const list = (text: string | undefined) =>
        (text ?? '')
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean);
      const { traits, computed, audiences, origins, name = 'publishable key' } = parsed.values;
      const check = checkPolicy({
        traits: list(traits),
        computedTraits: list(computed),
        audiences: list(audiences),
        origins: list(origins),
      });
      const problem = check.ok ? checkKeyName(name) : check.message;
      if (!check.ok || problem) {
        io.err(`${problem}\n\n${usage}`);
        return 1;
      }
      const key = await publishable.create(name, check.policy);
      await record('key.created', key.id, 'publishable_key');
      io.out(`created ${describePublishable(key)}\n${key.key}\nA publishable key is public: put it in your pages.\n`);
      return 0;
    }
    if (command === 'create') {
      const writeKeyKind = parsed.values.kind ?? 'client';
      if (!isWriteKeyKind(writeKeyKind) || (parsed.values.admin && parsed.values.kind !== undefined)) {
        io.err(`--kind must be client or server, for a write key only\n\n${usage}`);
        return 1;
      }
      const kind = parsed.values.admin ? 'admin_token' : 'write_key';
      const { credential, secret } = await store.create(kind, { source: parsed.values.source, writeKeyKind });
      await record('key.created', credential.id, kind);
      io.out(`created ${describe(credential)}\n${secret}\nThis secret is shown only once; store it now.\n`);
      return 0;
    }
    if (command === 'list') {
      const rows = await store.list();
      const keys = await publishable.list();
      if (parsed.values.json) io.out([...rows, ...keys].map((row) => `${JSON.stringify(row)}\n`).join(''));
      else if (rows.length + keys.length === 0) io.out('no credentials\n');
      else io.out([...rows.map(describe), ...keys.map(describePublishable)].map((line) => `${line}\n`).join(''));
      return 0;
    }
    const id = parsed.positionals[0];
    if (!id) {
      io.err(`keys revoke needs the id of a credential (see weft-server keys list)\n\n${usage}`);
      return 1;
    }
    if (!(await (isPublishableKeyId(id) ? publishable.revoke(id) : store.revoke(id)))) {
      io.err(`no active credential with id "${id}"\n`);
      return 1;
    }
    await record('key.revoked', id, isPublishableKeyId(id) ? 'publishable_key' : 'credential');
    io.out(`revoked ${id}\n`);
    return 0;
  } finally {
    await opened.events.close();
  }
}

function describePublishable(key: PublishableKey): string {
  const { traits, computedTraits, audiences, origins } = key.policy;
  const parts = [
    key.id,
    `publishable key "${key.name}"`,
    `traits [${traits.join(', ')}] computed [${computedTraits.join(', ')}] audiences [${audiences.join(', ')}] origins [${origins.join(', ')}]`,
    `created ${new Date(key.createdAt).toISOString()}`,
  ];
  if (key.revokedAt !== null) parts.push(`revoked ${new Date(key.revokedAt).toISOString()}`);
  return parts.join('  ');
}

function describe(credential: Credential): string {
  const parts = [
    credential.id,
    credential.kind === 'write_key'
      ? `${credential.writeKeyKind ?? 'client'} write key (source ${credential.source})`
      : 'admin token',
    credential.hint,
    `created ${new Date(credential.createdAt).toISOString()}`,
  ];
  if (credential.revokedAt !== null) parts.push(`revoked ${new Date(credential.revokedAt).toISOString()}`);
  return parts.join('  ');
}
