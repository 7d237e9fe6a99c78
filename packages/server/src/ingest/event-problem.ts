/** Why one event was refused; listed in a batch's `rejected`, or the error of a single-event call. */
export interface EventProblem {
  readonly code:
    | 'invalid_event'
    | 'invalid_type'
    | 'missing_identity'
    | 'missing_field'
    | 'invalid_field'
    | 'invalid_message_id'
    | 'invalid_identifier'
    | 'event_too_large'
    | 'event_too_deep';
  readonly message: string;
}
