import type { Contact } from '../../contacts/contact-schemas.js';
import { type ContactPatch, patchContactSchema } from '../../contacts/contact-write-schemas.js';

/** What one of the contact page's edit forms asks for: a patch, or why it cannot be one. */
export type EditFormResult =
  | { readonly ok: true; readonly patch: ContactPatch }
  | { readonly ok: false; readonly message: string };

type FormBody = Record<string, unknown>;

const fieldLabels: Record<string, string> = {
  lifecycleStage: 'Lifecycle stage',
  owner: 'Owner',
  tags: 'Tags',
  traits: 'Trait',
};

function textOf(form: FormBody, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The page's forms, by their `part`: `details` (lifecycle stage, owner, tags; an empty field clears
 * it), `trait` (sets one trait, as text or, when asked, as JSON) and `removeTrait` (sets it to null,
 * the one way an edit takes a trait's value away). Checked by the API's own schema, so a refusal
 * names the field as the API would.
 */
export function readEditForm(form: FormBody): EditFormResult {
  const part = textOf(form, 'part');
  let patch: Record<string, unknown>;
  if (part === 'details') {
    const stage = textOf(form, 'lifecycleStage');
    const owner = textOf(form, 'owner').trim();
    const tags = textOf(form, 'tags')
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '');
    patch = { lifecycleStage: stage === '' ? null : stage, owner: owner === '' ? null : owner, tags };
  } else if (part === 'trait' || part === 'removeTrait') {
    const name = textOf(form, 'traitName').trim();
    if (name === '') return { ok: false, message: 'Trait name: enter the name of the trait.' };
    const value = part === 'removeTrait' ? { ok: true as const, value: null } : traitValueOf(form);
    if (!value.ok) return value;
    patch = { traits: { [name]: value.value } };
  } else {
    return { ok: false, message: 'This form did not say what to change; reload the page and try again.' };
  }
  const parsed = patchContactSchema.safeParse(patch);
  if (parsed.success) return { ok: true, patch: parsed.data };
  const issue = parsed.error.issues[0];
  const [field, ...rest] = issue?.path ?? [];
  const label = fieldLabels[String(field)] ?? String(field);
  const where = field === 'traits' && rest.length > 0 ? `${label} ${rest.join('.')}` : label;
  return { ok: false, message: `${where}: ${issue?.message ?? 'not a value this field takes'}.` };
}

function traitValueOf(form: FormBody): { ok: true; value: unknown } | { ok: false; message: string } {
  const text = textOf(form, 'traitValue');
  if (textOf(form, 'traitJson') === '') return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'Trait value: not JSON (a number, true, false, null, "text", a list or an object).' };
  }
}

/**
 * The patch less the fields that already hold what it sets: the details form sends all three, and
 * re-sending one unchanged would overwrite what someone else changed meanwhile.
 */
export function withoutUnchanged(patch: ContactPatch, contact: Contact): ContactPatch {
  const changed: ContactPatch = { ...patch };
  if (changed.lifecycleStage === contact.lifecycleStage) delete changed.lifecycleStage;
  if (changed.owner === contact.owner) delete changed.owner;
  if (changed.tags && JSON.stringify(changed.tags) === JSON.stringify(contact.tags)) delete changed.tags;
  return changed;
}
