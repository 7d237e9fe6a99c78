import type { Child } from 'hono/jsx';
import { can } from '../users/roles.js';
import type { Session, User } from '../users/user-store.js';
import { assetUrl } from './asset-routes.js';

export type Section = 'contacts' | 'companies' | 'audiences' | 'imports' | 'admin' | 'account';

export interface PageFrame {
  readonly title: string;
  /** Absent on the login page. */
  readonly viewer?: { readonly user: User; readonly session: Session } | undefined;
  readonly section?: Section | undefined;
  /** A one-line confirmation of what the last form did (from ?done=). */
  readonly notice?: string | undefined;
}

const sections: readonly {
  readonly id: Section;
  readonly label: string;
  readonly href: string;
  readonly isAdmin?: boolean;
}[] = [
  { id: 'contacts', label: 'Contacts', href: '/ui/contacts' },
  { id: 'companies', label: 'Companies', href: '/ui/companies' },
  { id: 'audiences', label: 'Audiences', href: '/ui/audiences' },
  { id: 'imports', label: 'Imports', href: '/ui/imports' },
  { id: 'admin', label: 'Admin', href: '/ui/admin', isAdmin: true },
];

/** The frame of every page: header with navigation and who is logged in, then the page's own content. */
export function Layout(props: PageFrame & { readonly children?: Child }) {
  const { viewer } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Weft`}</title>
        {viewer ? <meta name="csrf-token" content={viewer.session.csrfToken} /> : null}
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <script src={assetUrl('app.js')} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        {viewer ? (
          <header class="top">
            <a class="brand" href="/ui/contacts">
              Weft
            </a>
            <nav aria-label="Sections">
              <ul>
                {sections
                  .filter((section) => !section.isAdmin || can(viewer.user.role, 'administer'))
                  .map((section) => (
                    <li>
                      <a href={section.href} aria-current={props.section === section.id ? 'page' : undefined}>
                        {section.label}
                      </a>
                    </li>
                  ))}
              </ul>
            </nav>
            <div class="who">
              <a href="/ui/account" aria-current={props.section === 'account' ? 'page' : undefined}>
                {viewer.user.email}
              </a>
              <span class="small">({viewer.user.role})</span>
              <form class="inline" method="post" action="/ui/logout">
                <CsrfField session={viewer.session} />
                <button type="submit">Log out</button>
              </form>
            </div>
          </header>
        ) : null}
        <main id="main">
          {props.notice ? (
            <p class="flash" role="status">
              {props.notice}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The hidden field every form that changes something carries (ui/session-auth.ts checks it). */
export function CsrfField(props: { readonly session: Session }) {
  return <input type="hidden" name="_csrf" value={props.session.csrfToken} />;
}

export function ErrorBox(props: { readonly message: string | undefined }) {
  return props.message ? (
    <p class="error-box" role="alert">
      {props.message}
    </p>
  ) : null;
}
