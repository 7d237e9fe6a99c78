import type { Contact } from '../../contacts/contact-schemas.js';
import type { Session } from '../../users/user-store.js';
import { StageOptions } from '../contacts/stage-options.js';
import { CsrfField } from '../layout.js';
import { contactHref } from './contact-page-data.js';

/** The contact page's forms for members and admins: edit in place, merge, export, erase. */

export function EditCard(props: { readonly contact: Contact; readonly session: Session }) {
  const { contact, session } = props;
  const action = `${contactHref(contact.id)}/edit`;
  return (
    <section class="card" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit</h2>
      <h3>Stage, owner and tags</h3>
      <form class="stack" method="post" action={action}>
        <CsrfField session={session} />
        <input type="hidden" name="part" value="details" />
        <div class="field">
          <label for="edit-stage">Lifecycle stage</label>
          <select id="edit-stage" name="lifecycleStage">
            <option value="">None</option>
            <StageOptions selected={contact.lifecycleStage} />
          </select>
        </div>
        <div class="field">
          <label for="edit-owner">Owner</label>
          <input id="edit-owner" name="owner" type="text" maxlength={200} value={contact.owner ?? ''} />
        </div>
        <div class="field">
          <label for="edit-tags">Tags (comma separated)</label>
          <input id="edit-tags" name="tags" type="text" value={contact.tags.join(', ')} />
        </div>
        <div>
          <button class="primary" type="submit">
            Save
          </button>
        </div>
      </form>
      <h3>Add or change a trait</h3>
      <form class="stack" method="post" action={action}>
        <CsrfField session={session} />
        <input type="hidden" name="part" value="trait" />
        <div class="field">
          <label for="edit-trait-name">Trait name</label>
          <input id="edit-trait-name" name="traitName" type="text" required maxlength={200} />
        </div>
        <div class="field">
          <label for="edit-trait-value">Value</label>
          <input id="edit-trait-value" name="traitValue" type="text" />
        </div>
        <label class="small">
          <input type="checkbox" name="traitJson" value="on" /> Read the value as JSON (a number, true, a list)
        </label>
        <div>
          <button type="submit">Set trait</button>
        </div>
      </form>
    </section>
  );
}

interface ActionsProps {
  readonly contact: Contact;
  readonly mayErase: boolean;
}

export function ActionsCard(props: ActionsProps) {
  const href = contactHref(props.contact.id);
  return (
    <section class="card" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Merge, export, erase</h2>
      <h3>Merge another contact into this one</h3>
      <form class="row" method="get" action={`${href}/merge`}>
        <div class="field">
          <label for="merge-other">Other contact's id (ct_…) or email</label>
          <input id="merge-other" name="other" type="text" required maxlength={400} />
        </div>
        <button type="submit">Review merge</button>
      </form>
      <h3>Export</h3>
      <p>
        <a class="button" href={`${href}/export.json`}>
          Download everything stored (JSON)
        </a>
      </p>
      {props.mayErase ? (
        <>
          <h3>Erase</h3>
          <p>
            <a class="button danger" href={`${href}/erase`}>
              Erase this contact…
            </a>
          </p>
        </>
      ) : null}
    </section>
  );
}
