import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { inputError } from '../core/errors.ts';
import { fileErrorReason } from './file-error.ts';
import { kubeObjectSchema, type ObjectProblem, type SourcedObject } from '../facts/kube-object.ts';
import { readYamlDocuments } from './manifest-yaml.ts';

/**
 * Reads Kubernetes objects from manifest paths: files, directories (recursively, *.yaml, *.yml, *.json,
 * in name order) and `-` for stdin. Accepts multi-document YAML, JSON, `List` kinds (kubectl get -o yaml)
 * and Helm-rendered output (`# Source:` comments, empty documents). A document that is not a Kubernetes
 * object becomes a problem with its file and index; the others are still returned.
 */
export interface ManifestSet {
  objects: SourcedObject[];
  problems: ObjectProblem[];
  files: string[];
}

export async function loadManifests(paths: readonly string[], readStdin: () => Promise<string> = readProcessStdin): Promise<ManifestSet> {
  const set: ManifestSet = { objects: [], problems: [], files: [] };
  for (const given of paths) {
    if (given === '-') {
      parseManifestText(await readStdin(), '<stdin>', set);
      continue;
    }
    for (const file of await expandPath(given)) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw inputError(`cannot read manifest file ${file}: ${fileErrorReason(error)}`, error);
      }
      parseManifestText(text, file, set);
    }
  }
  return set;
}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

async function expandPath(given: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(given);
  } catch (error) {
    throw inputError(`cannot read ${given}: ${fileErrorReason(error)}`, error);
  }
  if (!info.isDirectory()) return [given];
  const entries = await readdir(given, { withFileTypes: true });
  const names = entries.map((entry) => entry.name).sort();
  const files: string[] = [];
  for (const name of names) {
    const full = path.join(given, name);
    const entry = entries.find((candidate) => candidate.name === name);
    if (entry?.isDirectory()) files.push(...(await expandPath(full)));
    else if (manifestExtensions.has(path.extname(name).toLowerCase())) files.push(full);
  }
  return files;
}

/** Parses one file's text into the set; pure apart from mutating `set`. */
export function parseManifestText(text: string, file: string, set: ManifestSet): void {
  set.files.push(file);
  // Most manifests are plain YAML: read them fast; anything unusual goes through the full parser below.
  const fast = readYamlDocuments(text);
  if (fast !== null) {
    fast.forEach(({ value, line }, index) => {
      if (value === null || value === undefined) return;
      addValue(value, { kind: 'file', path: file, document: index, line }, set);
    });
    return;
  }
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const offset = document.range[0];
    const line = lineCounter.linePos(offset).line;
    const origin = { kind: 'file' as const, path: file, document: index, line };
    const firstError = document.errors[0];
    if (firstError !== undefined) {
      const at = firstError.linePos?.[0];
      const where = at === undefined ? '' : ` at line ${at.line}, column ${at.col}`;
      set.problems.push({ origin, message: `not valid YAML${where}: ${firstError.message.split('\n')[0] ?? ''}` });
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      // An alias without anchor, or too many aliases (a billion-laughs document).
      set.problems.push({ origin, message: `not valid YAML: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    if (value === null || value === undefined) return; // an empty document (Helm leaves many)
    addValue(value, origin, set);
  });
}

function addValue(value: unknown, origin: SourcedObject['origin'], set: ManifestSet): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    set.problems.push({ origin, message: 'not a Kubernetes object (expected a mapping with apiVersion, kind and metadata)' });
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.kind === 'string' && record.kind.endsWith('List') && Array.isArray(record.items)) {
    record.items.forEach((item: unknown, index: number) => {
      addValue(item, origin.kind === 'file' ? { ...origin, item: index } : origin, set);
    });
    return;
  }
  const parsed = kubeObjectSchema.safeParse(withMetadata(record));
  if (!parsed.success) {
    const missing = ['apiVersion', 'kind'].filter((key) => typeof record[key] !== 'string' || record[key] === '');
    const message =
      missing.length > 0
        ? `not a Kubernetes object: no ${missing.join(' and no ')}`
        : `not a Kubernetes object: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`;
    set.problems.push({ origin, message });
    return;
  }
  set.objects.push({ object: parsed.data, origin });
}

/** An object without metadata is still an object (a Namespace template, a bare List item); judge it on kind. */
function withMetadata(record: Record<string, unknown>): Record<string, unknown> {
  return record.metadata === undefined ? { ...record, metadata: {} } : record;
}

export function readProcessStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}
