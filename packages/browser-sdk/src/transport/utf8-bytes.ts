/** UTF-8 bytes of a string, by the platform (a lone surrogate counts 3, as in core's `utf8ByteLength`). */
export const utf8Bytes = (text: string): number => new Blob([text]).size;
