import { audienceInputSchema } from '../../audiences/audience-specs.js';
import type { AudienceInput, AudienceStore } from '../../audiences/audience-store.js';
import { RuleProblem } from '../../audiences/parse-rule.js';

/** What the audience editor sent: a name and the rule as the text someone typed. */
export interface AudienceDraft {
  readonly name: string;
  readonly ruleText: string;
}

export type DraftCheck = { ok: true; input: AudienceInput } | { ok: false; message: string };

/** The draft as a definition (name checked as the API checks it), or what is wrong with it. */
export function readDraft(draft: AudienceDraft): DraftCheck {
  const rule = parseRuleText(draft.ruleText);
  if (!rule.ok) return rule;
  const checked = audienceInputSchema.safeParse({ name: draft.name, rule: rule.value });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, message: `${issue?.path.join('.') || 'name'}: ${issue?.message ?? 'not valid'}` };
  }
  return { ok: true, input: { name: checked.data.name, rule: checked.data.rule } };
}

function parseRuleText(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: 'rule: empty; write the rule as JSON (docs/audiences.md)' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `rule: not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Runs `work`, answering a rule the store refuses as its message (naming the field) instead of throwing. */
export async function orRuleProblem<T>(
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof RuleProblem) return { ok: false, message: error.message };
    throw error;
  }
}

/** The editor's live line: how many contacts the rule matches now, or what is wrong with it. */
export async function previewMessage(
  audiences: Pick<AudienceStore, 'preview'>,
  ruleText: string,
): Promise<{ ok: boolean; message: string }> {
  const rule = parseRuleText(ruleText);
  if (!rule.ok) return rule;
  const preview = await orRuleProblem(() => audiences.preview(rule.value));
  if (!preview.ok) return preview;
  const { size } = preview.value;
  return { ok: true, message: `${size.toLocaleString('en')} ${size === 1 ? 'contact matches' : 'contacts match'} now` };
}
