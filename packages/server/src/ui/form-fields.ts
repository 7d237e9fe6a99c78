/** A text field of a parsed form, trimmed and cut to `maxLength`; '' when absent or a file. */
export function formText(form: Record<string, unknown>, name: string, maxLength = 320): string {
  const value = form[name];
  return typeof value === 'string' ? value.trim().slice(0, maxLength) : '';
}

/** A password field as typed: never trimmed (spaces count), checked by users/password-hash.ts. */
export function formPassword(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}
