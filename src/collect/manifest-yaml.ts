/**
 * A fast reader for the YAML that Kubernetes manifests are written in, so that loading 10,000 objects
 * takes a fraction of a second instead of several. It understands block mappings and sequences, plain
 * and quoted scalars (YAML 1.2 core schema, as the `yaml` library resolves them), single-line flow
 * collections, literal block scalars (`|`, `|-`, `|+`), comments and `---` document markers.
 *
 * Multi-line plain scalars are folded as YAML folds them. Anything else (anchors, aliases, tags, folded
 * `>` scalars, multi-line flow or quoted scalars, directives,
 * tabs or CR line ends, anything malformed) makes it return null, and the caller parses the whole text
 * with the `yaml` library instead. So it is only ever a shortcut: where it answers, the answer equals
 * the `yaml` library's (a differential test holds it to that), and every error is the library's.
 */
import { LineCounter, parseAllDocuments } from 'yaml';

export interface FastDocument {
  /** The document's value as `Document.toJS()` gives it (null for an empty document). */
  value: unknown;
  /** 1-based line where the `yaml` library says the document starts: its `---`, or its first content line. */
  line: number;
}

/** Thrown inside the parser when the input leaves the supported subset; caught at the top. */
class Unsupported extends Error {}

const unsupported = (): never => {
  throw new Unsupported();
};

interface Line {
  /** 0-based index into the text's lines. */
  index: number;
  indent: number;
  /** The line without its indentation. */
  content: string;
}

const markerPattern = /^---(?:[ ]+(?:#.*)?)?$/;

/**
 * The documents of a multi-document YAML text as the `yaml` library reads them (values and start lines),
 * reading each document with the fast reader where it can and with the library where it cannot. Returns
 * null when some document is not valid YAML: the caller then parses the whole text with the library, so
 * that every error is reported exactly as before.
 */
export function readYamlDocuments(text: string): FastDocument[] | null {
  return splitAndParse(text, true);
}

/** Returns the documents of the text, or null when any document needs the full YAML parser. */
export function fastParseYamlDocuments(text: string): FastDocument[] | null {
  return splitAndParse(text, false);
}

function splitAndParse(text: string, libraryForDeclined: boolean): FastDocument[] | null {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return null;
  const lines = text.split('\n');
  try {
    const documents: FastDocument[] = [];
    let start = 0;
    let markerLine: number | null = null;
    const flush = (end: number) => {
      let document: FastDocument | null;
      try {
        document = parseDocumentLines(lines, start, end, markerLine);
      } catch (error) {
        if (!(error instanceof Unsupported) || !libraryForDeclined) throw error;
        document = parseWithLibrary(lines, start, end, markerLine);
      }
      if (document !== null) documents.push(document);
    };
    for (let index = 0; index < lines.length; index++) {
      const raw = lines[index] as string;
      if (raw.startsWith('---')) {
        if (!markerPattern.test(raw)) return null;
        flush(index);
        start = index + 1;
        markerLine = index;
      } else if (raw.startsWith('...') || raw.startsWith('%')) {
        return null;
      }
    }
    flush(lines.length);
    return documents;
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

/** One document read by the `yaml` library on its own; documents are independent between `---` markers. */
function parseWithLibrary(raw: string[], start: number, end: number, markerLine: number | null): FastDocument | null {
  const lineCounter = new LineCounter();
  // With its `---` line, so that the library sees the document as it does inside the whole text.
  const from = markerLine ?? start;
  const parsed = parseAllDocuments(raw.slice(from, end).join('\n'), { lineCounter, uniqueKeys: false });
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  // Errors (and anything that does not come out as exactly one document) are left to the whole-text parse.
  if (documents.length > 1 || documents.some((document) => document.errors.length > 0)) throw new Unsupported();
  const document = documents[0];
  if (document === undefined) {
    return markerLine === null ? null : { value: null, line: markerLine + 1 };
  }
  const line = from + lineCounter.linePos(document.range[0]).line;
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 1000 });
  } catch {
    // An unresolved or excessive alias: the whole-text parse reports it.
    throw new Unsupported();
  }
  return { value, line };
}

/** One document: the lines in [start, end), after the marker on `markerLine` (null for the first document). */
function parseDocumentLines(raw: string[], start: number, end: number, markerLine: number | null): FastDocument | null {
  const significant: Line[] = [];
  for (let index = start; index < end; index++) {
    const line = raw[index] as string;
    let indent = 0;
    while (indent < line.length && line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length) continue;
    const first = line.charCodeAt(indent);
    if (first === 35 /* # */) continue;
    if (line.includes('\t')) {
      // Tabs are legal only in some places (never in indentation); such a line is left to the full parser,
      // unless it turns out to be content of a literal block scalar (read from the raw lines).
      significant.push({ index, indent: -1, content: line });
      continue;
    }
    significant.push({ index, indent, content: line.slice(indent) });
  }
  if (markerLine === null && significant.length === 0) return null;
  const line = markerLine === null ? (significant[0] as Line).index + 1 : markerLine + 1;
  if (significant.length === 0) return { value: null, line };
  const parser = new BlockParser(raw, significant, end);
  const first = significant[0] as Line;
  if (first.indent < 0) unsupported();
  const value = parser.parseNode(first.indent, -1);
  if (parser.position < significant.length) unsupported();
  return { value, line };
}

class BlockParser {
  position = 0;

  private readonly raw: readonly string[];
  private readonly lines: Line[];
  /** Index of the first raw line after this document. */
  private readonly end: number;

  constructor(raw: readonly string[], lines: Line[], end: number) {
    this.raw = raw;
    this.lines = lines;
    this.end = end;
  }

  private current(): Line | undefined {
    return this.lines[this.position];
  }

  /** A node whose first line is the current one, at `indent`; `parentIndent` bounds block scalars. */
  parseNode(indent: number, parentIndent: number): unknown {
    const line = this.current();
    if (line === undefined || line.indent !== indent) return unsupported();
    if (isSequenceEntry(line.content)) return this.parseSequence(indent);
    const key = splitKey(line.content);
    if (key !== null) return this.parseMapping(indent);
    // A scalar or flow collection on its own line (a document or entry that is just a value).
    this.position++;
    const value = this.inlineValue(line.content, parentIndent, line);
    this.expectNoDeeper(indent);
    return value;
  }

  private parseMapping(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (;;) {
      const line = this.current();
      if (line === undefined || line.indent < indent) break;
      if (line.indent > indent) unsupported();
      if (isSequenceEntry(line.content)) unsupported();
      const split = splitKey(line.content);
      if (split === null) return unsupported();
      this.position++;
      result[split.key] = this.mappingValue(split.rest, indent, line);
    }
    return result;
  }

  /** The value after `key:` (the rest of the line, or the lines below). */
  private mappingValue(rest: string, indent: number, line: Line): unknown {
    if (rest === '' || rest.startsWith('#')) {
      const next = this.current();
      if (next === undefined || next.indent < indent) return null;
      if (next.indent > indent) return this.parseNode(next.indent, indent);
      // A block sequence may sit at its key's own indentation (`containers:` / `- name: x`).
      if (isSequenceEntry(next.content)) return this.parseSequence(indent);
      return null;
    }
    const value = this.inlineValue(rest, indent, line);
    this.expectNoDeeper(indent);
    return value;
  }

  private parseSequence(indent: number): unknown[] {
    const result: unknown[] = [];
    for (;;) {
      const line = this.current();
      if (line === undefined || line.indent !== indent || !isSequenceEntry(line.content)) {
        if (line !== undefined && line.indent > indent) unsupported();
        break;
      }
      let offset = 1;
      while (line.content.charCodeAt(offset) === 32) offset++;
      const rest = line.content.slice(offset);
      if (rest === '' || rest.startsWith('#')) {
        this.position++;
        const next = this.current();
        result.push(next !== undefined && next.indent > indent ? this.parseNode(next.indent, indent) : null);
        continue;
      }
      // The entry's content starts on the same line: read it as a line of its own at its column.
      this.lines[this.position] = { index: line.index, indent: indent + offset, content: rest };
      result.push(this.parseNode(indent + offset, indent));
    }
    return result;
  }

  /** A value that starts on a line after an indicator: a scalar, a flow collection or a block scalar header. */
  private inlineValue(text: string, parentIndent: number, line: Line): unknown {
    const first = text.charCodeAt(0);
    if (first === 124 /* | */) return this.literalScalar(text, parentIndent, line);
    const reader = new InlineReader(text);
    if (first === 34 || first === 39 || first === 91 || first === 123) {
      const value = reader.value('block');
      reader.expectEnd();
      return value;
    }
    const head = reader.plainText();
    const commented = reader.offset < text.length && text.slice(reader.offset).trim() !== '';
    reader.expectEnd();
    // A comment ends a plain scalar; otherwise it may go on over more indented lines.
    return resolvePlain(commented ? head : this.plainContinuation(head, parentIndent, line));
  }

  /** Folds the continuation lines of a multi-line plain scalar: one space between lines, a newline per empty line. */
  private plainContinuation(head: string, parentIndent: number, line: Line): string {
    let text = head;
    let pendingEmpty = 0;
    let last = line.index;
    for (let index = line.index + 1; index < this.end; index++) {
      const raw = this.raw[index] as string;
      let spaces = 0;
      while (spaces < raw.length && raw.charCodeAt(spaces) === 32) spaces++;
      if (spaces === raw.length) {
        pendingEmpty++;
        continue;
      }
      if (spaces <= parentIndent) break;
      const content = raw.slice(spaces);
      const first = content.charCodeAt(0);
      if (first === 35 /* # */) break;
      if (parentIndent < 0 || raw.includes('\t')) unsupported();
      if (isIndicator(first) || first === 45 || first === 63 || first === 58) unsupported();
      if (/: |:$| #/.test(content)) unsupported();
      text += pendingEmpty > 0 ? '\n'.repeat(pendingEmpty) : ' ';
      text += content.trimEnd();
      pendingEmpty = 0;
      last = index;
    }
    while (this.position < this.lines.length && (this.lines[this.position] as Line).index <= last) this.position++;
    return text;
  }

  /** The next line must not be more indented: that would continue a multi-line scalar (or be an error). */
  private expectNoDeeper(indent: number): void {
    const next = this.current();
    if (next !== undefined && next.indent > indent) unsupported();
    if (next !== undefined && next.indent < 0) unsupported();
  }

  /** `|`, `|-` or `|+` (no indentation indicator) and the lines below, read from the raw text. */
  private literalScalar(header: string, parentIndent: number, line: Line): string {
    const match = /^\|([+-]?)(?:[ ]+(?:#.*)?)?$/.exec(header);
    if (match === null) return unsupported();
    const chomping = match[1];
    const body: string[] = [];
    let trailingEmpty = 0;
    let contentIndent = -1;
    let rawIndex = line.index + 1;
    const leadingEmpty: number[] = [];
    for (; rawIndex < this.end; rawIndex++) {
      const raw = this.raw[rawIndex] as string;
      let spaces = 0;
      while (spaces < raw.length && raw.charCodeAt(spaces) === 32) spaces++;
      const blank = spaces === raw.length;
      // The text's last line without a line break is no empty line of the scalar.
      if (blank && rawIndex === this.raw.length - 1 && (contentIndent < 0 || spaces <= contentIndent)) break;
      if (contentIndent < 0) {
        if (blank) {
          leadingEmpty.push(spaces);
          continue;
        }
        if (spaces <= parentIndent || raw.charCodeAt(spaces) === 9) break;
        contentIndent = spaces;
        // A leading empty line indented deeper than the content is an error the library reports.
        if (leadingEmpty.some((count) => count > contentIndent)) unsupported();
        for (let i = 0; i < leadingEmpty.length; i++) body.push('');
        body.push(raw.slice(contentIndent));
        continue;
      }
      if (blank && spaces <= contentIndent) {
        trailingEmpty++;
        continue;
      }
      if (spaces < contentIndent) break;
      for (; trailingEmpty > 0; trailingEmpty--) body.push('');
      body.push(raw.slice(contentIndent));
    }
    if (contentIndent < 0) unsupported();
    // Skip the significant lines the scalar consumed.
    while (this.position < this.lines.length && (this.lines[this.position] as Line).index < rawIndex) this.position++;
    const next = this.current();
    if (next !== undefined && next.indent > parentIndent && (next.index < rawIndex || next.indent < 0)) unsupported();
    const text = body.join('\n');
    if (chomping === '-') return text;
    if (chomping === '+') return `${text}\n${'\n'.repeat(trailingEmpty)}`;
    return `${text}\n`;
  }
}

function isSequenceEntry(content: string): boolean {
  return content.charCodeAt(0) === 45 /* - */ && (content.length === 1 || content.charCodeAt(1) === 32);
}

/** `key: rest` with a plain or quoted key; null when the line is not a mapping entry. */
function splitKey(content: string): { key: string; rest: string } | null {
  const first = content.charCodeAt(0);
  let key: string;
  let after: number;
  if (first === 34 /* " */ || first === 39 /* ' */) {
    const reader = new InlineReader(content);
    const quoted = reader.quoted();
    after = reader.offset;
    if (content.charCodeAt(after) !== 58 /* : */) return null;
    key = quoted;
  } else {
    if (isIndicator(first) || first === 45 /* - */ || first === 63 /* ? */ || first === 58 /* : */) {
      if (!(first === 45 && content.length > 1 && content.charCodeAt(1) !== 32)) return null;
    }
    let colon = -1;
    for (let i = 0; i < content.length; i++) {
      const code = content.charCodeAt(i);
      if (code === 58 /* : */ && (i + 1 === content.length || content.charCodeAt(i + 1) === 32)) {
        colon = i;
        break;
      }
      if (code === 35 /* # */ && i > 0 && content.charCodeAt(i - 1) === 32) return null;
    }
    if (colon <= 0) return null;
    key = content.slice(0, colon).trimEnd();
    if (key !== content.slice(0, colon)) unsupported();
    if (resolvePlain(key) !== key || key === '__proto__' || key === '<<') unsupported();
    after = colon;
  }
  let restStart = after + 1;
  if (restStart < content.length && content.charCodeAt(restStart) !== 32) unsupported();
  while (content.charCodeAt(restStart) === 32) restStart++;
  return { key, rest: content.slice(restStart) };
}

/** Characters that cannot start a plain scalar (`-`, `?`, `:` are handled where they may). */
function isIndicator(code: number): boolean {
  switch (code) {
    case 44 /* , */:
    case 91 /* [ */:
    case 93 /* ] */:
    case 123 /* { */:
    case 125 /* } */:
    case 35 /* # */:
    case 38 /* & */:
    case 42 /* * */:
    case 33 /* ! */:
    case 124 /* | */:
    case 62 /* > */:
    case 39 /* ' */:
    case 34 /* " */:
    case 37 /* % */:
    case 64 /* @ */:
    case 96 /* ` */:
      return true;
    default:
      return false;
  }
}

/** Reads one line's worth of inline YAML: quoted scalars, plain scalars, flow collections. */
class InlineReader {
  offset = 0;

  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  private skipSpaces(): void {
    while (this.text.charCodeAt(this.offset) === 32) this.offset++;
  }

  /** After the value: only spaces and a comment may follow. */
  expectEnd(): void {
    const before = this.offset;
    this.skipSpaces();
    if (this.offset === this.text.length) return;
    if (this.text.charCodeAt(this.offset) === 35 /* # */ && this.offset > before) return;
    unsupported();
  }

  value(context: 'block' | 'flow'): unknown {
    this.skipSpaces();
    const code = this.text.charCodeAt(this.offset);
    if (code === 34 || code === 39) return this.quoted();
    if (code === 91 /* [ */) return this.flowSequence();
    if (code === 123 /* { */) return this.flowMapping();
    return resolvePlain(this.plain(context));
  }

  /** A plain scalar in block context, as written (unresolved). */
  plainText(): string {
    return this.plain('block');
  }

  private plain(context: 'block' | 'flow'): string {
    const { text } = this;
    const start = this.offset;
    const first = text.charCodeAt(start);
    if (Number.isNaN(first)) return context === 'flow' ? unsupported() : '';
    if (isIndicator(first)) unsupported();
    if (first === 45 || first === 63 || first === 58) {
      // `-`, `?` and `:` start a plain scalar only when a safe character follows.
      const next = text.charCodeAt(start + 1);
      if (Number.isNaN(next) || next === 32 || next === 9 || (context === 'flow' && isFlowIndicator(next))) unsupported();
    }
    let end = start;
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 35 /* # */ && text.charCodeAt(i - 1) === 32) break;
      if (code === 58 /* : */) {
        const next = text.charCodeAt(i + 1);
        // `: ` would start a nested mapping, which a value on this line cannot hold.
        if (Number.isNaN(next) || next === 32 || (context === 'flow' && isFlowIndicator(next))) {
          if (context === 'block') unsupported();
          break;
        }
      }
      if (context === 'flow' && isFlowIndicator(code)) break;
      if (code === 9) unsupported();
      if (code !== 32) end = i + 1;
    }
    this.offset = end;
    return text.slice(start, end);
  }

  quoted(): string {
    const { text } = this;
    const quote = text.charCodeAt(this.offset);
    let result = '';
    let i = this.offset + 1;
    for (;;) {
      if (i >= text.length) return unsupported(); // multi-line quoted scalar
      const code = text.charCodeAt(i);
      if (code === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) {
          result += "'";
          i += 2;
          continue;
        }
        this.offset = i + 1;
        return result;
      }
      if (quote === 34 && code === 92 /* \ */) {
        const [decoded, length] = decodeEscape(text, i);
        result += decoded;
        i += length;
        continue;
      }
      result += text[i];
      i++;
    }
  }

  private flowSequence(): unknown[] {
    this.offset++; // [
    const items: unknown[] = [];
    for (;;) {
      this.skipSpaces();
      const code = this.text.charCodeAt(this.offset);
      if (code === 93 /* ] */) {
        this.offset++;
        return items;
      }
      if (Number.isNaN(code) || code === 44) return unsupported();
      items.push(this.value('flow'));
      this.skipSpaces();
      const after = this.text.charCodeAt(this.offset);
      if (after === 44 /* , */) this.offset++;
      else if (after !== 93) unsupported(); // `[a: b]` pairs, multi-line, malformed
    }
  }

  private flowMapping(): Record<string, unknown> {
    this.offset++; // {
    const result: Record<string, unknown> = {};
    for (;;) {
      this.skipSpaces();
      const code = this.text.charCodeAt(this.offset);
      if (code === 125 /* } */) {
        this.offset++;
        return result;
      }
      if (Number.isNaN(code) || code === 44) return unsupported();
      let key: string;
      if (code === 34 || code === 39) key = this.quoted();
      else {
        const plain = this.plain('flow');
        if (resolvePlain(plain) !== plain || plain === '') unsupported();
        key = plain;
      }
      if (key === '__proto__' || key === '<<') unsupported();
      this.skipSpaces();
      if (this.text.charCodeAt(this.offset) !== 58 /* : */) unsupported(); // `{a}` keys without values
      this.offset++;
      const next = this.text.charCodeAt(this.offset);
      if (!(next === 32 || isFlowIndicator(next) || code === 34 || code === 39)) unsupported();
      this.skipSpaces();
      const valueStart = this.text.charCodeAt(this.offset);
      result[key] = valueStart === 44 || valueStart === 125 ? null : this.value('flow');
      this.skipSpaces();
      const after = this.text.charCodeAt(this.offset);
      if (after === 44) this.offset++;
      else if (after !== 125) unsupported();
    }
  }
}

function isFlowIndicator(code: number): boolean {
  return code === 44 || code === 91 || code === 93 || code === 123 || code === 125;
}

/** A double-quoted escape at `text[at] === '\\'`: the decoded text and how many characters it took. */
function decodeEscape(text: string, at: number): [string, number] {
  const next = text[at + 1];
  const simple: Record<string, string> = {
    '0': '\0',
    a: '\x07',
    b: '\b',
    t: '\t',
    '\t': '\t',
    n: '\n',
    v: '\v',
    f: '\f',
    r: '\r',
    e: '\x1b',
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    N: '\u0085',
    _: '\u00a0',
    L: '\u2028',
    P: '\u2029',
  };
  if (next !== undefined && simple[next] !== undefined) return [simple[next], 2];
  const digits = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
  if (digits === 0) return unsupported();
  const hex = text.slice(at + 2, at + 2 + digits);
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return unsupported();
  const code = Number.parseInt(hex, 16);
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return unsupported();
  return [String.fromCodePoint(code), 2 + digits];
}

const nullPattern = /^(?:~|[Nn]ull|NULL)?$/;
const boolPattern = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const decimalPattern = /^[-+]?[0-9]+$/;
const octalPattern = /^0o[0-7]+$/;
const hexPattern = /^0x[0-9a-fA-F]+$/;
const floatPattern = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const infinityPattern = /^[-+]?\.(?:inf|Inf|INF)$/;
const nanPattern = /^\.(?:nan|NaN|NAN)$/;

/** YAML 1.2 core schema resolution of a plain scalar, as the `yaml` library does it. */
export function resolvePlain(text: string): unknown {
  const first = text.charCodeAt(0);
  // Fast exit: most plain scalars are words that cannot be anything but strings.
  const mayBeSpecial = Number.isNaN(first) || first === 126 /* ~ */ || first === 43 || first === 45 || first === 46 || (first >= 48 && first <= 57) || /^[nNtTfF]/.test(text);
  if (!mayBeSpecial) return text;
  if (nullPattern.test(text)) return null;
  if (boolPattern.test(text)) return text.charCodeAt(0) === 116 || text.charCodeAt(0) === 84;
  if (octalPattern.test(text)) return Number.parseInt(text.slice(2), 8);
  if (hexPattern.test(text)) return Number.parseInt(text.slice(2), 16);
  if (decimalPattern.test(text)) return Number(text);
  if (floatPattern.test(text)) return Number.parseFloat(text);
  if (infinityPattern.test(text)) return text.charCodeAt(0) === 45 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (nanPattern.test(text)) return Number.NaN;
  return text;
}
