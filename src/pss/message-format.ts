/**
 * The small text helpers Pod Security admission builds every message with. They must match
 * upstream byte for byte: `joinQuote` adds plain double quotes (no escaping), `pluralize` picks the
 * singular only for exactly one, sets are listed de-duplicated in byte order, and annotation values
 * are quoted the way Go's `%q` does.
 */

/** `["a", "b"]` → `"a", "b"` (upstream joinQuote: quotes are added, nothing inside is escaped). */
export function joinQuote(items: readonly string[]): string {
  let text = '';
  for (let index = 0; index < items.length; index++) {
    if (index > 0) text += ', ';
    text += `"${items[index]}"`;
  }
  return text;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/**
 * Go compares strings byte-wise (UTF-8), which is code point order. JavaScript's `<` compares UTF-16
 * code units, which differs only above U+FFFF; compare code points so the two always agree.
 */
export function compareBytewise(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left === right) continue;
    const leftSurrogate = left >= 0xd800 && left <= 0xdfff;
    const rightSurrogate = right >= 0xd800 && right <= 0xdfff;
    if (leftSurrogate !== rightSurrogate) return leftSurrogate ? 1 : -1;
    return left - right;
  }
  return a.length - b.length;
}

/** `sets.NewString(items...).List()`: unique, byte-wise sorted. */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareBytewise);
}

/** Go's `strconv.Quote` / `%q` for a string. */
export function goQuote(value: string): string {
  let quoted = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    switch (char) {
      case '"':
        quoted += '\\"';
        continue;
      case '\\':
        quoted += '\\\\';
        continue;
      case '\x07':
        quoted += '\\a';
        continue;
      case '\b':
        quoted += '\\b';
        continue;
      case '\f':
        quoted += '\\f';
        continue;
      case '\n':
        quoted += '\\n';
        continue;
      case '\r':
        quoted += '\\r';
        continue;
      case '\t':
        quoted += '\\t';
        continue;
      case '\v':
        quoted += '\\v';
        continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      // A lone surrogate is not valid UTF-8; Go would see U+FFFD.
      quoted += '\\ufffd';
    } else if (isGoPrintable(char, code)) {
      quoted += char;
    } else if (code < 0x80) {
      quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    } else if (code < 0x10000) {
      quoted += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      quoted += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${quoted}"`;
}

const printableClass = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isGoPrintable(char: string, code: number): boolean {
  if (code >= 0x20 && code < 0x7f) return true;
  if (code < 0x80) return false;
  return printableClass.test(char);
}
