import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { StructuredFile } from '../facts/node-facts.ts';
import { maskedValue } from '../k3s/secrets.ts';
import type { RootFs } from './root-fs.ts';

/**
 * Reads a YAML or JSON config file from the node (kubelet drop-in, embedded etcd config, encryption
 * config) into plain data with the line of every field. `maskKeys` names keys whose values are secret
 * material (an EncryptionConfiguration's `secret`): they become `********` before anything is kept.
 */
export async function readStructuredFile(fs: RootFs, filePath: string, maskKeys: readonly string[] = []): Promise<StructuredFile> {
  const read = await fs.readText(filePath, 4 * 1024 * 1024);
  if (!read.ok) return read.missing ? { path: filePath, present: false } : { path: filePath, present: true, error: read.error };
  return parseStructuredText(read.text, filePath, maskKeys);
}

export function parseStructuredText(text: string, filePath: string, maskKeys: readonly string[] = []): StructuredFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    return { path: filePath, present: true, error: { message: `not valid YAML or JSON: ${firstError.message.split('\n')[0] ?? ''}`, line } };
  }
  const fieldLines: Record<string, number> = {};
  collectLines(document.contents as Node | null, '', lineCounter, fieldLines);
  const content = mask(document.toJS({ maxAliasCount: 100 }) as unknown, new Set(maskKeys));
  return { path: filePath, present: true, content, fieldLines };
}

function collectLines(node: Node | null, prefix: string, lineCounter: LineCounter, lines: Record<string, number>): void {
  if (node === null || node === undefined) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const field = prefix === '' ? key : `${prefix}.${key}`;
      const start = keyNode?.range?.[0];
      if (start !== undefined) lines[field] = lineCounter.linePos(start).line;
      collectLines(pair.value as Node | null, field, lineCounter, lines);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => collectLines(item as Node | null, `${prefix}[${index}]`, lineCounter, lines));
  }
}

function mask(value: unknown, keys: ReadonlySet<string>): unknown {
  if (keys.size === 0) return value;
  if (Array.isArray(value)) return value.map((item) => mask(item, keys));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, keys.has(key) && child !== null && child !== '' ? maskedValue : mask(child, keys)]));
  }
  return value;
}
