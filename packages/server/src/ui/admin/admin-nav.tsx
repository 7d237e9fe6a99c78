export type AdminPage = 'users' | 'keys' | 'audit';

const pages: readonly { readonly id: AdminPage; readonly label: string; readonly href: string }[] = [
  { id: 'users', label: 'Users', href: '/ui/admin' },
  { id: 'keys', label: 'Keys', href: '/ui/admin/keys' },
  { id: 'audit', label: 'Audit log', href: '/ui/admin/audit' },
];

/** The admin pages' own navigation, under the page heading. */
export function AdminNav(props: { readonly current: AdminPage }) {
  return (
    <nav aria-label="Admin" class="toolbar">
      {pages.map((page) => (
        <a href={page.href} aria-current={page.id === props.current ? 'page' : undefined}>
          {page.label}
        </a>
      ))}
    </nav>
  );
}
