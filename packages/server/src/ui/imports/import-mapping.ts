import { type ImportKey, type ImportMode, importTargets } from '../../imports/import-rows.js';

/** The mapping form: a target for each column (by position, since a header may hold any text), key and mode. */

export interface TargetChoice {
  readonly value: string;
  readonly label: string;
}

const labels: Record<(typeof importTargets)[number], string> = {
  email: 'Email',
  userId: 'User id',
  name: 'Name',
  firstName: 'First name',
  lastName: 'Last name',
  phone: 'Phone',
  company: 'Company',
  lifecycleStage: 'Lifecycle stage',
  owner: 'Owner',
  tags: 'Tags',
  timestamp: 'Timestamp',
  ignore: 'Skip this column',
};

export const keyLabels: Record<ImportKey, string> = { email: 'Email', userId: 'User id' };
export const modeLabels: Record<ImportMode, string> = {
  upsert: 'Update: newer values replace older ones',
  fillEmpty: 'Fill empty fields only',
};

/** Where a column may go: the fields, a trait named as the column (unless a field has its name), or nowhere. */
export function targetChoices(column: string): TargetChoice[] {
  const fields = importTargets.filter((target) => target !== 'ignore');
  const name = column.trim();
  const asTrait = name === '' || (importTargets as readonly string[]).includes(name) ? [] : [`trait:${name}`];
  return [
    ...fields.map((target) => ({ value: target, label: labels[target] })),
    ...asTrait.map((target) => ({ value: target, label: `Trait “${name}”` })),
    { value: 'ignore', label: labels.ignore },
  ];
}

export const targetField = (index: number) => `target-${index}`;

/** The mapping the form chose, column by column (import-rows.ts' mappingProblem checks it). */
export function mappingFromForm(
  form: Readonly<Record<string, unknown>>,
  columns: readonly string[],
): Record<string, string> {
  return Object.fromEntries(
    columns.map((column, index) => {
      const chosen = form[targetField(index)];
      return [column, typeof chosen === 'string' ? chosen : 'ignore'];
    }),
  );
}

export type SettingsCheck = { ok: true; key: ImportKey; mode: ImportMode } | { ok: false; message: string };

export function settingsFromForm(form: Readonly<Record<string, unknown>>): SettingsCheck {
  const { key, mode } = form;
  if (key !== 'email' && key !== 'userId') return { ok: false, message: 'key: email or userId' };
  if (mode !== 'upsert' && mode !== 'fillEmpty')
    return { ok: false, message: 'mode: upsert or fill empty fields only' };
  return { ok: true, key, mode };
}
