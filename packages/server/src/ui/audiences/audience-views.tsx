import type { AudienceRecord } from '../../audiences/audience-store.js';
import type { Session } from '../../users/user-store.js';
import { DataTable } from '../data-table.js';
import { CsrfField, ErrorBox, Layout, type PageFrame } from '../layout.js';
import type { AudienceDraft } from './audience-form.js';

export const phaseLabels: Record<AudienceRecord['phase'], string> = {
  backfilling: 'Counting stored events',
  evaluating: 'Working out members',
  ready: 'Ready',
};

const exampleRule = JSON.stringify({ all: [{ trait: 'plan', op: 'eq', value: 'pro' }] }, null, 2);

export function AudiencesListPage(
  props: PageFrame & {
    readonly audiences: readonly Pick<AudienceRecord, 'id' | 'name' | 'phase'>[];
    readonly counts: ReadonlyMap<string, number>;
    readonly mayEdit: boolean;
  },
) {
  return (
    <Layout {...props}>
      <h1>Audiences</h1>
      {props.mayEdit ? (
        <p class="toolbar">
          <a class="button primary" href="/ui/audiences/new">
            New audience
          </a>
        </p>
      ) : null}
      <DataTable
        caption="Audiences"
        columns={['Name', 'Members', 'State']}
        rowCount={props.audiences.length}
        emptyMessage="No audiences yet."
      >
        {props.audiences.map((audience) => (
          <tr>
            <td>
              <a href={`/ui/audiences/${encodeURIComponent(audience.id)}`}>{audience.name}</a>
            </td>
            <td>{(props.counts.get(audience.id) ?? 0).toLocaleString('en')}</td>
            <td>{phaseLabels[audience.phase]}</td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}

/** Name and rule, with the live count as one types (ui-script.ts posts the rule to the preview). */
export function AudienceEditor(props: {
  readonly session: Session;
  readonly action: string;
  readonly draft: AudienceDraft;
  readonly error: string | undefined;
  readonly submitLabel: string;
}) {
  return (
    <form method="post" action={props.action} class="stack">
      <CsrfField session={props.session} />
      <ErrorBox message={props.error} />
      <div class="field">
        <label for="audience-name">Name</label>
        <input id="audience-name" name="name" type="text" required maxlength={200} value={props.draft.name} />
      </div>
      <div class="field">
        <label for="audience-rule">Rule (JSON, see docs/audiences.md)</label>
        <textarea
          id="audience-rule"
          name="rule"
          rows={14}
          spellcheck={false}
          aria-describedby="rule-preview"
          data-preview="/ui/audiences/preview"
          data-preview-output="rule-preview"
        >
          {props.draft.ruleText}
        </textarea>
      </div>
      <p id="rule-preview" class="muted" role="status" aria-live="polite"></p>
      <button class="primary" type="submit">
        {props.submitLabel}
      </button>
    </form>
  );
}

export function NewAudiencePage(
  props: PageFrame & { readonly session: Session; readonly draft?: AudienceDraft; readonly error?: string | undefined },
) {
  return (
    <Layout {...props}>
      <p>
        <a href="/ui/audiences">All audiences</a>
      </p>
      <h1>New audience</h1>
      <AudienceEditor
        session={props.session}
        action="/ui/audiences"
        draft={props.draft ?? { name: '', ruleText: exampleRule }}
        error={props.error}
        submitLabel="Create audience"
      />
    </Layout>
  );
}
