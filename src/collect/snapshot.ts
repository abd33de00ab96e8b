import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { writeTextFileAtomically } from '../core/atomic-text-file.ts';
import { inputError } from '../core/errors.ts';
import { fileErrorReason } from './file-error.ts';
import { readProcessStdin } from './manifests.ts';
import { nodeFactsApiVersion, nodeFactsKind, nodeFactsSchema, type NodeFacts } from '../facts/node-facts.ts';

/**
 * Node snapshots: the NodeFacts of one node as a JSON file (`kharden collect -o node.json`), read back by
 * `kharden audit --snapshot node.json`. Writing is atomic (temp file in the same directory, fsync,
 * rename); reading refuses anything that is not a NodeFacts snapshot of this format with a message that
 * names the file and the first problem.
 */
export async function writeSnapshot(file: string, facts: NodeFacts): Promise<void> {
  const text = `${JSON.stringify(nodeFactsSchema.parse(facts), null, 2)}\n`;
  await writeTextFileAtomically(file, text, { mode: 0o600, label: `snapshot ${file}` });
}

export async function readSnapshot(file: string): Promise<NodeFacts> {
  return parseSnapshot(await readSnapshotText(file), file);
}

/** The text of a snapshot file, `-` meaning stdin; an unreadable file is an input error naming it. */
export async function readSnapshotText(file: string): Promise<string> {
  if (file === '-') return readProcessStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw inputError(`cannot read snapshot ${file}: ${fileErrorReason(error)}`, error);
  }
}

/** Validates node snapshot text; `file` is only used in messages. */
export function parseSnapshot(text: string, file: string): NodeFacts {
  return parseFactsSnapshot(text, file, { kind: nodeFactsKind, apiVersion: nodeFactsApiVersion, schema: nodeFactsSchema, label: 'node snapshot' });
}

export interface SnapshotFormat<T> {
  kind: string;
  apiVersion: string;
  schema: z.ZodType<T>;
  /** `node snapshot`, `cluster snapshot`: how messages name the format. */
  label: string;
}

/** Shared by every kharden snapshot format: JSON, then kind, then apiVersion, then the schema, each with its own message. */
export function parseFactsSnapshot<T>(text: string, file: string, format: SnapshotFormat<T>): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw inputError(`${file} is not a kharden ${format.label}: not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw inputError(`${file} is not a kharden ${format.label}: expected a JSON object with kind ${format.kind}`);
  }
  const record = data as Record<string, unknown>;
  if (record.kind !== format.kind) {
    const kind = typeof record.kind === 'string' ? `a ${record.kind}` : 'an object without kind';
    throw inputError(`${file} is not a kharden ${format.label}: it is ${kind}, expected kind ${format.kind} (write one with kharden collect -o FILE)`);
  }
  if (record.apiVersion !== format.apiVersion) {
    throw inputError(`${file}: unsupported snapshot apiVersion ${JSON.stringify(record.apiVersion)}; this kharden reads ${format.apiVersion}`);
  }
  const parsed = format.schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '')}`;
    throw inputError(`${file} is not a valid kharden ${format.label}${where}: ${issue?.message ?? 'schema mismatch'}`);
  }
  return parsed.data;
}
