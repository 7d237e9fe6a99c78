import type { Session, SessionTiming } from '../../users/user-store.js';
import { DataTable } from '../data-table.js';
import { formatTime } from '../format.js';
import { CsrfField } from '../layout.js';

/** A user's sessions, with what it takes to tell which are still live. */
export interface SessionsView {
  readonly sessions: readonly Session[];
  readonly timing: SessionTiming;
  readonly now: number;
}

export interface SessionTableProps extends SessionsView {
  readonly caption: string;
  /** The session showing the page, marked "this session". */
  readonly currentId?: string | undefined;
  /** The viewer's session, for the CSRF field of each revoke form. */
  readonly viewerSession: Session;
  /** Where a session's revoke form posts. */
  readonly revokeAction: (session: Session) => string;
}

/** Whether a session can still be used: revoked by someone, over by time, or live. */
export function sessionState(session: Session, timing: SessionTiming, now: number): 'revoked' | 'ended' | 'active' {
  if (session.revokedAt !== null) return 'revoked';
  const isOver = now - session.lastSeenAt > timing.idleMs || now - session.createdAt > timing.maxAgeMs;
  return isOver ? 'ended' : 'active';
}

const sessionColumns = ['Started', 'Last seen', 'Browser', 'State', 'Action'];

/** A user's sessions (admin's user page, the account page), each live one with a button that ends it. */
export function SessionTable(props: SessionTableProps) {
  return (
    <DataTable
      caption={props.caption}
      columns={sessionColumns}
      rowCount={props.sessions.length}
      emptyMessage="No sessions."
    >
      {props.sessions.map((session) => {
        const state = sessionState(session, props.timing, props.now);
        const isCurrent = session.id === props.currentId;
        return (
          <tr>
            <td>
              {formatTime(session.createdAt)}
              {isCurrent ? <strong> (this session)</strong> : null}
            </td>
            <td>{formatTime(session.lastSeenAt)}</td>
            <td>{session.userAgent ?? 'unknown'}</td>
            <td>
              {state === 'revoked'
                ? `Revoked ${formatTime(session.revokedAt)}`
                : state === 'ended'
                  ? 'Ended (timed out)'
                  : 'Active'}
            </td>
            <td>
              {state === 'active' ? (
                <form class="inline" method="post" action={props.revokeAction(session)}>
                  <CsrfField session={props.viewerSession} />
                  <button type="submit" class="danger">
                    {isCurrent ? 'Log out this session' : 'Revoke'}
                    <span class="visually-hidden"> the session started {formatTime(session.createdAt)}</span>
                  </button>
                </form>
              ) : null}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
