export type InvalidEventCode =
  | 'missing_identity'
  | 'missing_field'
  | 'invalid_type'
  | 'not_plain_object'
  | 'not_serialisable'
  | 'too_deep'
  | 'too_large';

/** A call the SDK refuses, naming the field at fault (`properties.items[2].price`). */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  declare readonly code: InvalidEventCode;
  declare readonly field: string;

  constructor(code: InvalidEventCode, field: string, message: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
