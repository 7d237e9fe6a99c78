/** Values a request carries between middleware and handlers. */
export interface AppEnv {
  Variables: {
    /** Extra fields for this request's log line, set by the handler. */
    logFields: Record<string, unknown>;
  };
}
