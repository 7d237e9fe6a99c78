import { ErrorBox, Layout } from '../layout.js';

export function LoginPage(props: {
  readonly next: string;
  readonly email?: string;
  readonly error?: string;
  readonly hasUsers: boolean;
}) {
  return (
    <Layout title="Log in">
      <div class="login card">
        <h1>Log in to Weft</h1>
        <ErrorBox message={props.error} />
        {props.hasUsers ? null : (
          <p class="muted">
            No one can log in yet. Create the first admin on the server:{' '}
            <code>weft-server users create --email you@example.com --role admin</code>
          </p>
        )}
        <form method="post" action="/ui/login">
          <input type="hidden" name="next" value={props.next} />
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ''} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button class="primary" type="submit">
            Log in
          </button>
        </form>
      </div>
    </Layout>
  );
}
