import { minPasswordLength } from '../../users/password-hash.js';

/** A field for a password being set: the length rule the server checks, and no autofill of the old one. */
export function NewPasswordInput(props: { readonly id: string; readonly name: string }) {
  return (
    <input
      id={props.id}
      name={props.name}
      type="password"
      required
      minlength={minPasswordLength}
      autocomplete="new-password"
    />
  );
}
