import { owner as ownerRule, tags as tagsRule } from '../contacts/contact-write-schemas.js';
import { formulaStart } from '../contacts/csv-export.js';
import { normalizeEmail } from '../identity/read-identity-event.js';

/**
 * What a CSV import does with each row, as pure rules: where each column goes (a mapping, with
 * suggestions from the header), and the row a line becomes, or what is wrong with it.
 */

export const importTargets = [
  'email',
  'userId',
  'name',
  'firstName',
  'lastName',
  'phone',
  'company',
  'lifecycleStage',
  'owner',
  'tags',
  'timestamp',
  'ignore',
] as const;
export type ImportTarget = (typeof importTargets)[number] | `trait:${string}`;

export type ImportKey = 'email' | 'userId';
/** upsert: a row's values are stamped with its time, newest wins; fillEmpty: only fields still empty. */
export type ImportMode = 'upsert' | 'fillEmpty';

/** One row ready for the store: the contact it names (by `key`) and what to set on it. */
export interface ImportRow {
  /** The line in the file (the header is line 1). */
  readonly line: number;
  readonly email?: string;
  readonly userId?: string;
  readonly traits: Readonly<Record<string, string>>;
  readonly lifecycleStage?: string;
  readonly owner?: string;
  readonly tags?: readonly string[];
  /** Epoch ms: the timestamp column, else the import's start. */
  readonly at: number;
}

const suggestions: Record<string, ImportTarget> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  userid: 'userId',
  user: 'userId',
  externalid: 'userId',
  name: 'name',
  fullname: 'name',
  firstname: 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  telephone: 'phone',
  company: 'company',
  companyname: 'company',
  organisation: 'company',
  organization: 'company',
  lifecyclestage: 'lifecycleStage',
  stage: 'lifecycleStage',
  owner: 'owner',
  tags: 'tags',
  labels: 'tags',
  timestamp: 'timestamp',
  date: 'timestamp',
  updatedat: 'timestamp',
  // The columns problems.csv adds to the refused rows: a fixed file imported again ignores them.
  line: 'ignore',
  error: 'ignore',
};

/** A target for each column: a known name (email, E-mail, First name…) or a trait of its header. */
export function suggestMapping(columns: readonly string[]): Record<string, ImportTarget> {
  const taken = new Set<string>();
  const mapping: Record<string, ImportTarget> = {};
  for (const column of columns) {
    const normalized = column.toLowerCase().replace(/[^a-z]/g, '');
    const known = Object.hasOwn(suggestions, normalized) ? suggestions[normalized] : undefined;
    const asTrait = column.trim() === '' || isBuiltIn(column.trim()) ? 'ignore' : (`trait:${column.trim()}` as const);
    const target = known && (known === 'ignore' || !taken.has(known)) ? known : asTrait;
    taken.add(target);
    mapping[column] = target;
  }
  return mapping;
}

/** The mapping's first problem, or undefined: unknown columns or targets, a target twice, no key. */
export function mappingProblem(
  mapping: Readonly<Record<string, string>>,
  columns: readonly string[],
  key: ImportKey,
): string | undefined {
  const used = new Set<string>();
  for (const [column, target] of Object.entries(mapping)) {
    if (!columns.includes(column)) return `mapping: the file has no column "${column}"`;
    if (typeof target !== 'string') return `mapping: the target of "${column}" must be a string`;
    const isTrait = target.startsWith('trait:') && target.length > 6 && target.length <= 206;
    if (isTrait && isBuiltIn(target.slice(6))) {
      return `mapping: trait:${target.slice(6)} is a field of its own: map "${column}" to ${target.slice(6)}`;
    }
    if (!isTrait && !(importTargets as readonly string[]).includes(target)) {
      return `mapping: "${target}" (for "${column}") is not one of ${importTargets.join(', ')} or trait:<name>`;
    }
    if (target !== 'ignore' && used.has(target)) return `mapping: two columns go to ${target}`;
    used.add(target);
  }
  if (!used.has(key)) return `mapping: no column goes to ${key}, the key that finds each contact`;
  return undefined;
}

export type RowCheck = { ok: true; row: ImportRow } | { ok: false; message: string };

/** One line's values (by column) as a row, or what is wrong with it, naming the column. */
export function rowFrom(
  values: Readonly<Record<string, string | undefined>>,
  line: number,
  settings: {
    readonly mapping: Readonly<Record<string, string>>;
    readonly key: ImportKey;
    readonly importAt: number;
    readonly lifecycleStages: readonly string[];
  },
): RowCheck {
  const traits: Record<string, string> = {};
  const row: { -readonly [K in keyof ImportRow]?: ImportRow[K] } = { line, at: settings.importAt };
  for (const [column, target] of Object.entries(settings.mapping)) {
    const value = unescapeFormula(values[column]?.trim() ?? '');
    if (value === '' || target === 'ignore') continue;
    if (value.length > 2_000) return { ok: false, message: `${column}: longer than 2,000 characters` };
    // As the API refuses it (http/nul-text.ts): PostgreSQL cannot store it, and the file can be mended.
    if (value.includes('\u0000'))
      return { ok: false, message: `${column}: holds U+0000 (NUL), which cannot be stored` };
    if (target === 'email') {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
        return { ok: false, message: `${column}: "${value}" is not an email` };
      row.email = normalizeEmail(value);
      traits.email = row.email;
    } else if (target === 'userId') row.userId = value;
    else if (target === 'lifecycleStage') {
      const stage = value.toLowerCase();
      if (!settings.lifecycleStages.includes(stage)) {
        return { ok: false, message: `${column}: "${value}" is not one of ${settings.lifecycleStages.join(', ')}` };
      }
      row.lifecycleStage = stage;
    } else if (target === 'owner') {
      // The same rules as an edit's (contact-write-schemas.ts).
      const checked = ownerRule.safeParse(value);
      if (!checked.success || checked.data === null) {
        return { ok: false, message: `${column}: an owner is 1 to 200 characters` };
      }
      row.owner = checked.data;
    } else if (target === 'tags') {
      const checked = tagsRule.safeParse(
        value
          .split(/[;,]/)
          .map((tag) => tag.trim())
          .filter(Boolean),
      );
      if (!checked.success) return { ok: false, message: `${column}: up to 50 tags of 1 to 100 characters` };
      row.tags = checked.data;
    } else if (target === 'timestamp') {
      const at = Date.parse(value);
      if (Number.isNaN(at)) return { ok: false, message: `${column}: "${value}" is not a date` };
      // A date ahead of the import would stamp traits no later event could change.
      row.at = Math.min(at, settings.importAt);
    } else traits[target.startsWith('trait:') ? target.slice(6) : target] = value;
  }
  if (settings.key === 'email' && row.email === undefined)
    return { ok: false, message: 'email: empty, and it is the key' };
  if (settings.key === 'userId' && row.userId === undefined)
    return { ok: false, message: 'userId: empty, and it is the key' };
  return { ok: true, row: { ...row, traits } as ImportRow };
}

/** Targets with a meaning of their own, which a trait must not shadow (traits.email with no identifier…). */
function isBuiltIn(name: string): boolean {
  return (importTargets as readonly string[]).includes(name);
}

/**
 * The apostrophe an export (csv-export.ts) puts before a cell a spreadsheet would run as a
 * formula, taken off again: a file exported or downloaded as problems.csv imports as it was.
 */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && formulaStart.test(value.slice(1)) ? value.slice(1) : value;
}
