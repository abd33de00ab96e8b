import type { Source } from '../core/source.ts';
import { maskNodeArgsAnnotation } from '../facts/cluster-facts.ts';
import type { KubeObject } from '../facts/kube-object.ts';

/**
 * The k3s node annotations: what a k3s node started with, readable through the API for every node at once.
 *
 * k3s (pkg/nodeconfig) writes, when the node registers or its configuration changes:
 * - `k3s.io/node-args`: a JSON array of the k3s command line **merged with config.yaml and config.yaml.d**
 *   (configfilearg), each `--flag=value` split into `"--flag", "value"`, bare booleans kept as `"--flag"`,
 *   and the value after a secret flag (`--token`, `-t`, `--agent-token`, `--datastore-endpoint`,
 *   `--cluster-secret`, `--etcd-s3-access-key`, `--etcd-s3-secret-key`) replaced by `********`;
 * - `k3s.io/node-env`: the K3S_* environment as a JSON object, secrets masked the same way;
 * - `k3s.io/node-config-hash`: base32 of sha256(args + env), to detect changes.
 *
 * This module parses them; it knows nothing about what a flag means (that is effective-args' job).
 */
export const nodeArgsAnnotation = 'k3s.io/node-args';
export const nodeEnvAnnotation = 'k3s.io/node-env';
export const nodeConfigHashAnnotation = 'k3s.io/node-config-hash';

/** One k3s flag as the annotation records it: without dashes, with its value (`true` for a bare boolean). */
export interface NodeArg {
  flag: string;
  value: string;
  /** Index of the flag in the annotation's array (for the evidence). */
  index: number;
}

export type ParsedNodeArgs =
  | {
      ok: true;
      /** `server` or `agent` (the k3s subcommand), null when the array names neither. */
      role: 'server' | 'agent' | null;
      /** The array as read, secrets masked. */
      argv: string[];
      args: NodeArg[];
    }
  | { ok: false; reason: string };

/** Parses the node-args annotation's text. Never throws: a malformed annotation is a reason, not a crash. */
export function parseNodeArgs(text: string): ParsedNodeArgs {
  let value: unknown;
  try {
    value = JSON.parse(maskNodeArgsAnnotation(text));
  } catch (error) {
    return { ok: false, reason: `${nodeArgsAnnotation} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    return { ok: false, reason: `${nodeArgsAnnotation} is not a JSON array of strings` };
  }
  const argv = value;
  let role: 'server' | 'agent' | null = null;
  const args: NodeArg[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const item = argv[index] ?? '';
    if (!item.startsWith('-')) {
      // The only positional k3s takes here is the subcommand; anything else is a value k3s split off.
      if (role === null && (item === 'server' || item === 'agent')) role = item;
      continue;
    }
    const name = item.replace(/^--?/, '');
    const equals = name.indexOf('=');
    if (equals > 0) {
      args.push({ flag: name.slice(0, equals), value: name.slice(equals + 1), index });
      continue;
    }
    const next = argv[index + 1];
    // k3s takes no positional arguments after the subcommand, so a following non-flag is this flag's value.
    // A component flag (`--kubelet-arg`) always takes one, even when it starts with dashes itself.
    if (next !== undefined && (!next.startsWith('-') || name.endsWith('-arg'))) {
      args.push({ flag: name, value: next, index });
      index += 1;
    } else {
      args.push({ flag: name, value: 'true', index });
    }
  }
  return { ok: true, role, argv, args };
}

/** Every value of a k3s flag, in order (repeatable flags such as `kube-apiserver-arg` have many). */
export function nodeArgValues(parsed: Extract<ParsedNodeArgs, { ok: true }>, flag: string): NodeArg[] {
  return parsed.args.filter((arg) => arg.flag === flag);
}

/**
 * The `--name=value` arguments k3s passes to one embedded component through `<component>-arg` flags
 * (`kube-apiserver-arg`, `kube-controller-manager-arg`, `kube-scheduler-arg`, `kubelet-arg`, `kube-proxy-arg`,
 * `etcd-arg`), in order: `{ flag: 'enable-admission-plugins', value: 'NodeRestriction,EventRateLimit' }`.
 */
export function componentArgs(parsed: Extract<ParsedNodeArgs, { ok: true }>, k3sFlag: string): NodeArg[] {
  return nodeArgValues(parsed, k3sFlag).map((arg) => {
    const text = arg.value.replace(/^--?/, '');
    const equals = text.indexOf('=');
    return equals < 0 ? { flag: text, value: 'true', index: arg.index } : { flag: text.slice(0, equals), value: text.slice(equals + 1), index: arg.index };
  });
}

/** The node-args of one Node object, or why there are none (not a k3s node, malformed). */
export interface NodeArgsView {
  node: string;
  parsed: ParsedNodeArgs;
  configHash: string | null;
  /** `status.nodeInfo.kubeletVersion`, e.g. `v1.33.4+k3s1`. */
  kubeletVersion: string | null;
}

export function nodeArgsOf(node: KubeObject): NodeArgsView {
  const name = node.metadata.name ?? '<unnamed>';
  const annotations = node.metadata.annotations ?? {};
  const text = annotations[nodeArgsAnnotation];
  const status = (node as { status?: { nodeInfo?: { kubeletVersion?: unknown } } }).status;
  const kubeletVersion = typeof status?.nodeInfo?.kubeletVersion === 'string' ? status.nodeInfo.kubeletVersion : null;
  const parsed: ParsedNodeArgs =
    text === undefined ? { ok: false, reason: `Node ${name} has no ${nodeArgsAnnotation} annotation (not a k3s node, or k3s has not registered it)` } : parseNodeArgs(text);
  return { node: name, parsed, configHash: annotations[nodeConfigHashAnnotation] ?? null, kubeletVersion };
}

/** The evidence source for a value read from a node's annotation. */
export function nodeArgsSource(node: string, arg?: NodeArg): Source {
  const where = arg === undefined ? '' : ` item ${arg.index}`;
  return { kind: 'node-args-annotation', detail: `Node ${node} ${nodeArgsAnnotation}${where}` };
}
