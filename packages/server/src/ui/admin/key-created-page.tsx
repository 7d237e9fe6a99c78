import { Layout, type PageFrame } from '../layout.js';
import { AdminNav } from './admin-nav.js';

export interface KeyCreatedView {
  /** What was made, such as "server write key cred_… (source web)". */
  readonly description: string;
  readonly secret: string;
}

/** The answer to creating a write key or admin token: the only time its secret is shown. */
export function KeyCreatedPage(props: PageFrame & KeyCreatedView) {
  return (
    <Layout {...props}>
      <h1>Key created</h1>
      <AdminNav current="keys" />
      <p>Created the {props.description}.</p>
      <p class="error-box" role="alert">
        Copy this secret now: it is shown only this once. Weft keeps only a hash of it, so it cannot be shown again; if
        it is lost, revoke the key and create another.
      </p>
      <label for="secret">Secret</label>
      <input id="secret" type="text" readonly value={props.secret} autocomplete="off" spellcheck={false} />
      <p>
        <a href="/ui/admin/keys">Back to keys</a>
      </p>
    </Layout>
  );
}
