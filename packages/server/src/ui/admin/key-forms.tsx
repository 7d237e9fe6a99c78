import type { Session } from '../../users/user-store.js';
import { CsrfField } from '../layout.js';

/** What the publishable key form was given, shown again when it is refused. */
export interface PublishableKeyForm {
  readonly name: string;
  readonly origins: string;
  readonly traits: string;
  readonly computedTraits: string;
  readonly audiences: string;
}

export const emptyPublishableForm: PublishableKeyForm = {
  name: '',
  origins: '',
  traits: '',
  computedTraits: '',
  audiences: '',
};

/** Creates a write key (client or server) or an admin token; the answer page shows its secret once. */
export function CredentialForm(props: { readonly session: Session }) {
  return (
    <form method="post" action="/ui/admin/keys/credentials" class="stack" aria-labelledby="create-credential">
      <CsrfField session={props.session} />
      <label for="credential-kind">Kind</label>
      <select id="credential-kind" name="kind">
        <option value="client">Write key, client (browsers and apps: anyone can read it)</option>
        <option value="server">Write key, server (kept on a backend)</option>
        <option value="admin_token">Admin token (the whole admin API)</option>
      </select>
      <label for="credential-source">Source (write keys only; default "default")</label>
      <input id="credential-source" name="source" type="text" maxlength={100} />
      <button type="submit" class="primary">
        Create key
      </button>
    </form>
  );
}

/** Creates a publishable key (pk_…) with its allowlists, each a comma-separated list. */
export function PublishableKeyFormView(props: { readonly session: Session; readonly form: PublishableKeyForm }) {
  const { form } = props;
  return (
    <form method="post" action="/ui/admin/keys/publishable" class="stack" aria-labelledby="create-publishable">
      <CsrfField session={props.session} />
      <label for="pk-name">Name (what it is for)</label>
      <input id="pk-name" name="name" type="text" required maxlength={200} value={form.name} />
      <label for="pk-origins">Origins its pages are served from, comma-separated (https://shop.example)</label>
      <input id="pk-origins" name="origins" type="text" value={form.origins} />
      <label for="pk-traits">Traits it may reveal, comma-separated</label>
      <input id="pk-traits" name="traits" type="text" value={form.traits} />
      <label for="pk-computed">Computed traits it may reveal, comma-separated</label>
      <input id="pk-computed" name="computedTraits" type="text" value={form.computedTraits} />
      <label for="pk-audiences">Audience ids (aud_…) whose membership it may reveal, comma-separated</label>
      <input id="pk-audiences" name="audiences" type="text" value={form.audiences} />
      <button type="submit" class="primary">
        Create publishable key
      </button>
    </form>
  );
}

/** A comma-separated field as the list checkPolicy reads. */
export function listOf(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
