import { Document, isMap, isSeq, LineCounter, parseDocument, stringify, type YAMLMap, type YAMLSeq } from 'yaml';
import { inputError } from '../core/errors.ts';

/**
 * The kube-apiserver AdmissionConfiguration (`--admission-control-config-file`, server/psa.yaml):
 * PodSecurity defaults and exemptions (k3s 1.25+), and the EventRateLimit limits whenever that plugin is
 * enabled: an enabled EventRateLimit without a configuration stops the API server from starting.
 */
export type PsaLevel = 'restricted' | 'baseline';

export interface AdmissionConfigInput {
  minor: number;
  psaLevel: PsaLevel;
  exemptNamespaces: readonly string[];
  podSecurity: boolean;
  eventRateLimit: boolean;
}

export interface AdmissionPlugin {
  name: string;
  configuration: Record<string, unknown>;
}

/** PodSecurityConfiguration v1 is served from Kubernetes 1.25, v1beta1 from 1.23. */
export function podSecurityApiVersion(minor: number): string {
  return minor >= 25 ? 'pod-security.admission.config.k8s.io/v1' : 'pod-security.admission.config.k8s.io/v1beta1';
}

export function podSecurityPlugin(input: AdmissionConfigInput): AdmissionPlugin {
  return {
    name: 'PodSecurity',
    configuration: {
      apiVersion: podSecurityApiVersion(input.minor),
      kind: 'PodSecurityConfiguration',
      defaults: {
        enforce: input.psaLevel,
        'enforce-version': 'latest',
        audit: input.psaLevel,
        'audit-version': 'latest',
        warn: input.psaLevel,
        'warn-version': 'latest',
      },
      exemptions: { usernames: [], runtimeClasses: [], namespaces: [...input.exemptNamespaces] },
    },
  };
}

/**
 * Limits generous enough not to drop a busy cluster's events while still bounding a flood: the whole
 * server, and each namespace separately (the last 2000 namespaces seen keep their own bucket).
 */
export function eventRateLimitPlugin(): AdmissionPlugin {
  return {
    name: 'EventRateLimit',
    configuration: {
      apiVersion: 'eventratelimit.admission.k8s.io/v1alpha1',
      kind: 'Configuration',
      limits: [
        { type: 'Server', qps: 5000, burst: 20000 },
        { type: 'Namespace', qps: 500, burst: 2000, cacheSize: 2000 },
      ],
    },
  };
}

export function admissionPlugins(input: AdmissionConfigInput): AdmissionPlugin[] {
  const plugins: AdmissionPlugin[] = [];
  if (input.podSecurity) plugins.push(podSecurityPlugin(input));
  if (input.eventRateLimit) plugins.push(eventRateLimitPlugin());
  return plugins;
}

const header =
  '# kube-apiserver admission configuration written by kharden harden (--admission-control-config-file).\n' +
  '# Read only when the API server starts: restart k3s after changing it.\n';

export function admissionConfigContent(input: AdmissionConfigInput): string {
  const document = new Document({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration', plugins: admissionPlugins(input) });
  return header + document.toString({ lineWidth: 0 });
}

/** A plugin the user configured differently from what kharden would write: shown, never overwritten. */
export interface AdmissionConflict {
  plugin: string;
  detail: string;
}

/**
 * Adds the plugins kharden needs to an existing AdmissionConfiguration, keeping its comments, order and
 * formatting. A plugin already configured (inline or by `path:`) is left as it is; a PodSecurity default
 * weaker than the chosen level is reported as a conflict.
 */
export function mergeAdmissionConfig(
  existing: string,
  path: string,
  input: AdmissionConfigInput,
): { content: string; conflicts: AdmissionConflict[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(existing, { lineCounter });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    throw inputError(`${path}:${error?.linePos?.[0].line ?? 1}: not valid YAML: ${error?.message.split('\n')[0] ?? ''}`);
  }
  const root: unknown = document.contents;
  if (!isMap(root) || root.get('kind') !== 'AdmissionConfiguration') {
    throw inputError(`${path}: not an AdmissionConfiguration (kind: AdmissionConfiguration expected)`);
  }
  const existingPlugins: unknown = root.get('plugins', true);
  const seq: YAMLSeq | null = isSeq(existingPlugins) ? existingPlugins : null;
  const conflicts: AdmissionConflict[] = [];
  const names = new Map<string, YAMLMap>();
  for (const item of seq?.items ?? []) if (isMap(item)) names.set(String(item.get('name')), item);
  const missing: AdmissionPlugin[] = [];
  for (const plugin of admissionPlugins(input)) {
    const present = names.get(plugin.name);
    if (present === undefined) missing.push(plugin);
    else if (plugin.name === 'PodSecurity') conflicts.push(...podSecurityConflicts(present, input.psaLevel));
  }
  if (missing.length === 0) return { content: existing, conflicts };
  return { content: appendPlugins(existing, document, seq, lineCounter, missing), conflicts };
}

/**
 * Inserts the new plugin entries as text after the last item of a block sequence, indented like it, so
 * that every byte of the user's file (comments, quoting, blank lines) stays where it was. A flow sequence
 * or a missing `plugins:` falls back to re-serialising through the Document API, which keeps comments.
 */
function appendPlugins(existing: string, document: Document.Parsed, seq: YAMLSeq | null, lineCounter: LineCounter, plugins: readonly AdmissionPlugin[]): string {
  const last = seq?.items[seq.items.length - 1] as { range?: [number, number, number] } | undefined;
  if (seq !== null && seq.flow !== true && last?.range !== undefined && seq.range !== undefined && seq.range !== null) {
    const column = lineCounter.linePos(seq.range[0]).col - 1;
    const lineEnd = existing.indexOf('\n', last.range[1] - 1);
    const insertAt = lineEnd === -1 ? existing.length : lineEnd + 1;
    const indent = ' '.repeat(column);
    const itemsText = stringify(plugins, { lineWidth: 0 })
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => indent + line)
      .join('\n');
    const before = existing.slice(0, insertAt);
    return `${before}${before.endsWith('\n') ? '' : '\n'}${itemsText}\n${existing.slice(insertAt)}`;
  }
  const root = document.contents as YAMLMap;
  const list = seq ?? (document.createNode([]) as YAMLSeq);
  for (const plugin of plugins) list.items.push(document.createNode(plugin));
  if (seq === null) root.set('plugins', list);
  return document.toString({ lineWidth: 0 });
}

const levelRank: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

function podSecurityConflicts(plugin: YAMLMap, level: PsaLevel): AdmissionConflict[] {
  if (plugin.has('path')) return [{ plugin: 'PodSecurity', detail: `configured in ${String(plugin.get('path'))}, left as it is` }];
  const enforce = plugin.getIn(['configuration', 'defaults', 'enforce']);
  const value = typeof enforce === 'string' ? enforce : 'privileged';
  if ((levelRank[value] ?? 0) >= (levelRank[level] ?? 0)) return [];
  return [{ plugin: 'PodSecurity', detail: `defaults.enforce is ${value}, weaker than ${level}; left as it is` }];
}
