import type { Page } from '../../contacts/contact-reads.js';
import type { Note } from '../../contacts/contact-write-schemas.js';
import type { Session } from '../../users/user-store.js';
import { formatTime, formatValue } from '../format.js';
import { CsrfField } from '../layout.js';
import { contactHref } from './contact-page-data.js';

type StoredEvent = Record<string, unknown>;

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** One line saying what an event was, from its Segment type. */
export function describeEvent(event: StoredEvent): string {
  const properties = recordOf(event.properties);
  switch (event.type) {
    case 'track':
      return textOf(event.event) ?? 'Track';
    case 'page':
    case 'screen':
      return `Viewed ${textOf(event.name) ?? textOf(properties.path) ?? textOf(properties.url) ?? `a ${event.type}`}`;
    case 'identify': {
      const keys = Object.keys(recordOf(event.traits));
      return keys.length > 0 ? `Identified: ${keys.join(', ')}` : 'Identified';
    }
    case 'group':
      return `In company ${formatValue(event.groupId)}`;
    case 'alias':
      return `Alias of ${formatValue(event.previousId)}`;
    default:
      return formatValue(event.type);
  }
}

/** The link to a list's next page; ui-script's data-more appends that page to the list in place. */
function OlderLink(props: { readonly listId: string; readonly href: string; readonly what: string }) {
  return (
    <p>
      <a data-more={props.listId} href={props.href}>
        Older<span class="visually-hidden"> {props.what}</span>
      </a>
    </p>
  );
}

/** Events newest first; "Older" reads the next page (appended in place by ui-script's data-more). */
export function TimelineCard(props: { readonly contactId: string; readonly timeline: Page<StoredEvent> }) {
  const { timeline } = props;
  return (
    <section class="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {timeline.data.length === 0 ? <p class="muted">No events.</p> : null}
      <ol class="timeline" id="timeline-items">
        {timeline.data.map((event) => (
          <li>
            <time datetime={textOf(event.timestamp)}>{formatTime(textOf(event.timestamp))}</time>{' '}
            <span class="tag">{formatValue(event.type)}</span> {describeEvent(event)}
            <details>
              <summary>Event data</summary>
              <pre>{JSON.stringify(event, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
      {timeline.nextCursor ? (
        <OlderLink
          listId="timeline-items"
          href={`${contactHref(props.contactId)}?before=${encodeURIComponent(timeline.nextCursor)}#timeline-heading`}
          what="events"
        />
      ) : null}
    </section>
  );
}

interface NotesProps {
  readonly contactId: string;
  readonly notes: Page<Note>;
  /** Absent for a viewer: no form to add one. */
  readonly editSession: Session | undefined;
}

/** Notes newest first, paged on their own; a note's text keeps its line breaks. */
export function NotesCard(props: NotesProps) {
  const { notes, editSession } = props;
  return (
    <section class="card" aria-labelledby="notes-heading">
      <h2 id="notes-heading">Notes</h2>
      {editSession ? (
        <form class="stack" method="post" action={`${contactHref(props.contactId)}/notes`}>
          <CsrfField session={editSession} />
          <label for="note-body">New note</label>
          <textarea id="note-body" name="body" rows={3} required maxlength={10_000}></textarea>
          <div>
            <button type="submit">Add note</button>
          </div>
        </form>
      ) : null}
      {notes.data.length === 0 ? <p class="muted">No notes.</p> : null}
      <ol class="timeline" id="note-items">
        {notes.data.map((note) => (
          <li class="note">
            <p class="small muted">
              {note.author ?? 'Someone'}, <time datetime={note.createdAt}>{formatTime(note.createdAt)}</time>
              {note.updatedAt ? ` (edited ${formatTime(note.updatedAt)})` : ''}
            </p>
            <p>{note.body.split('\n').map((line, index) => (index === 0 ? line : [<br />, line]))}</p>
          </li>
        ))}
      </ol>
      {notes.nextCursor ? (
        <OlderLink
          listId="note-items"
          href={`${contactHref(props.contactId)}?notes=${encodeURIComponent(notes.nextCursor)}#notes-heading`}
          what="notes"
        />
      ) : null}
    </section>
  );
}
