/** What a child process needs from the developer's environment to find node and a home; nothing else. */
const inherited = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SystemRoot'] as const;

/**
 * The environment for a spawned `weft-server`: without the developer's WEFT_*, PORT or
 * NODE_OPTIONS, which would silently change what the test runs (another database, a rate limit,
 * a debugger flag), plus exactly the variables the test sets.
 */
export function cleanEnv(
  set: Record<string, string>,
  from: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of inherited) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...set };
}
