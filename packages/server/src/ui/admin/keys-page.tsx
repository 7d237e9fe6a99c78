import type { Credential } from '../../auth/credential-store.js';
import type { PublishableKey } from '../../personalize/publishable-key.js';
import type { Session } from '../../users/user-store.js';
import { DataTable } from '../data-table.js';
import { formatTime } from '../format.js';
import { CsrfField, ErrorBox, Layout, type PageFrame } from '../layout.js';
import { AdminNav } from './admin-nav.js';
import { CredentialForm, type PublishableKeyForm, PublishableKeyFormView } from './key-forms.js';

export interface KeysView {
  readonly credentials: readonly Credential[];
  readonly publishable: readonly PublishableKey[];
  readonly error?: string | undefined;
  readonly form: PublishableKeyForm;
}

const kindLabel = (credential: Credential) =>
  credential.kind === 'admin_token' ? 'Admin token' : `Write key (${credential.writeKeyKind ?? 'client'})`;

function RevokeButton(props: { readonly action: string; readonly what: string; readonly session: Session }) {
  return (
    <form
      class="inline"
      method="post"
      action={props.action}
      data-confirm={`Revoke ${props.what}? Its use stops at once.`}
    >
      <CsrfField session={props.session} />
      <button type="submit" class="danger">
        Revoke<span class="visually-hidden"> {props.what}</span>
      </button>
    </form>
  );
}

const revokedCell = (revokedAt: number | null) => (revokedAt === null ? 'Active' : `Revoked ${formatTime(revokedAt)}`);

/** GET /ui/admin/keys: write keys and admin tokens (secrets never shown), publishable keys, and the forms. */
export function KeysPage(props: PageFrame & KeysView) {
  const { viewer } = props;
  if (!viewer) return null;
  return (
    <Layout {...props}>
      <h1>Keys</h1>
      <AdminNav current="keys" />
      <ErrorBox message={props.error} />
      <h2>Write keys and admin tokens</h2>
      <p class="muted">Only a hash of each secret is kept: a secret is shown once, when it is created.</p>
      <DataTable
        caption="Write keys and admin tokens"
        columns={['Id', 'Kind', 'Source', 'Ends with', 'Created', 'State', 'Action']}
      >
        {props.credentials.map((credential) => (
          <tr>
            <td>{credential.id}</td>
            <td>{kindLabel(credential)}</td>
            <td>{credential.source ?? ''}</td>
            <td>{credential.hint}</td>
            <td>{formatTime(credential.createdAt)}</td>
            <td>{revokedCell(credential.revokedAt)}</td>
            <td>
              {credential.revokedAt === null ? (
                <RevokeButton
                  action={`/ui/admin/keys/credentials/${encodeURIComponent(credential.id)}/revoke`}
                  what={`${kindLabel(credential).toLowerCase()} ${credential.id}`}
                  session={viewer.session}
                />
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <h3 id="create-credential">Create a write key or admin token</h3>
      <CredentialForm session={viewer.session} />
      <h2>Publishable keys</h2>
      <p class="muted">Public by design (they go in your pages): each may reveal only what it lists.</p>
      <DataTable
        caption="Publishable keys"
        columns={['Name', 'Key', 'Origins', 'May reveal', 'Created', 'State', 'Action']}
      >
        {props.publishable.map((key) => (
          <tr>
            <td>{key.name}</td>
            <td>
              <code>{key.key}</code>
            </td>
            <td>{key.policy.origins.join(', ')}</td>
            <td>
              {[
                `traits: ${key.policy.traits.join(', ') || 'none'}`,
                `computed: ${key.policy.computedTraits.join(', ') || 'none'}`,
                `audiences: ${key.policy.audiences.join(', ') || 'none'}`,
              ].join('; ')}
            </td>
            <td>{formatTime(key.createdAt)}</td>
            <td>{revokedCell(key.revokedAt)}</td>
            <td>
              {key.revokedAt === null ? (
                <RevokeButton
                  action={`/ui/admin/keys/publishable/${encodeURIComponent(key.id)}/revoke`}
                  what={`publishable key ${key.name}`}
                  session={viewer.session}
                />
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <h3 id="create-publishable">Create a publishable key</h3>
      <PublishableKeyFormView session={viewer.session} form={props.form} />
    </Layout>
  );
}
