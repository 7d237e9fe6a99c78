/** Escapes LIKE's wildcards (with `ESCAPE '\'`), for a pattern built from what a user typed. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** ASCII letters lower-cased, nothing else: what SQLite's lower() and its LIKE's case folding do. */
export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
