/** WEFT_DB as a PostgreSQL connection string rather than a SQLite file (issue #21). */
export function isPostgresUrl(dbPath: string): boolean {
  return /^postgres(ql)?:\/\//i.test(dbPath);
}

/** A WEFT_DB URL whose connections use `schema`, as an operator's search_path would (tests, benchmarks). */
export function postgresSchemaUrl(url: string, schema: string): string {
  return `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** The connection string as a log line or an error may show it: any password replaced. */
export function redactPostgresUrl(url: string): string {
  if (!URL.canParse(url)) return 'postgres://(not a valid URL)';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  for (const name of ['password', 'sslpassword'])
    if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '***');
  return parsed.toString();
}
