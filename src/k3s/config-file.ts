import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { ConfigEntry, ConfigFile } from '../facts/node-facts.ts';
import { isSecretFlag } from './flags.ts';
import { maskFlagValue } from './secrets.ts';

/**
 * Reads one k3s config file (config.yaml or a config.yaml.d drop-in) into its top-level entries, each with
 * its line, as k3s's own parser sees them: YAML 1.1 like the yaml.v2 library k3s uses (so `0644` is the
 * octal number 420 and `yes` is true, the classic surprise), keys as written (a `key+` keeps its `+`),
 * secret values masked. A syntax error does not throw: the file gets an `error` with the line.
 */
export function parseConfigFileText(text: string, path: string): ConfigFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { version: '1.1', lineCounter, uniqueKeys: false, prettyErrors: false });
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    const message = `not valid YAML: ${firstError.message.split('\n')[0] ?? firstError.message}`;
    return { path, present: true, entries: [], error: { message, line } };
  }
  const contents = document.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
    return { path, present: true, entries: [] };
  }
  if (!isMap(contents)) {
    const line = lineOf(contents, lineCounter);
    const message = 'not a k3s config file: the top level must be a mapping of flag names to values';
    return { path, present: true, entries: [], error: line === undefined ? { message } : { message, line } };
  }
  const entries: ConfigEntry[] = [];
  for (const pair of contents.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const line = lineOf(keyNode, lineCounter) ?? 1;
    const valueNode = pair.value as Node | null;
    const entry = entryFor(key, valueNode, line, lineCounter);
    entries.push(maskEntry(entry));
  }
  return { path, present: true, entries };
}

function entryFor(key: string, node: Node | null, line: number, lineCounter: LineCounter): ConfigEntry {
  if (node === null || node === undefined) return { key, value: '', line };
  if (isScalar(node)) return { key, value: scalarValue(node.value), line };
  if (isSeq(node)) {
    const values: (string | number | boolean)[] = [];
    const itemLines: number[] = [];
    for (const item of node.items) {
      const itemNode = item as Node | null;
      values.push(isScalar(itemNode) ? scalarValue(itemNode.value) : JSON.stringify(toPlain(itemNode)));
      itemLines.push(lineOf(itemNode, lineCounter) ?? line);
    }
    return { key, value: values, line, itemLines };
  }
  // k3s would turn a nested mapping into Go's map text; it is never a valid flag value.
  return { key, value: JSON.stringify(toPlain(node)), line };
}

function scalarValue(value: unknown): string | number | boolean {
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined) return '';
  return String(value);
}

function toPlain(node: Node | null): unknown {
  return node === null ? null : (node.toJSON() as unknown);
}

function lineOf(node: Node | null | undefined, lineCounter: LineCounter): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lineCounter.linePos(start).line;
}

function maskEntry(entry: ConfigEntry): ConfigEntry {
  const flag = entry.key.replace(/\+$/, '');
  if (!isSecretFlag(flag)) return entry;
  const value = Array.isArray(entry.value)
    ? entry.value.map((item) => maskFlagValue(flag, String(item)))
    : maskFlagValue(flag, String(entry.value));
  return { ...entry, value };
}

/** Go's convert.ToString as k3s applies it to config values: `true`, `420`, `1.5`. */
export function configValueText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}
