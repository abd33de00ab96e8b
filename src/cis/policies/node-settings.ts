import type { Evidence } from '../../core/finding.ts';
import { componentArgs, nodeArgsSource, nodeArgValues, type NodeArg, type NodeArgsView } from '../../k3s/node-args.ts';
import type { ClusterAuditInput } from './input.ts';

/**
 * k3s settings seen in the nodes' `k3s.io/node-args` annotations, as evidence for the section-5 controls
 * that depend on how the cluster runs (is NetworkPolicy enforced, is there an admission configuration,
 * are secrets encrypted). Evidence carries the `node-args-annotation` source.
 */
export interface NodeSetting {
  node: string;
  role: 'server' | 'agent' | null;
  arg: NodeArg;
}

type ParsedView = NodeArgsView & { parsed: Extract<NodeArgsView['parsed'], { ok: true }> };

export function nodesWithArgs(input: ClusterAuditInput): ParsedView[] {
  return input.nodeArgs().filter((view): view is ParsedView => view.parsed.ok);
}

/** Every value of a k3s flag on every node (`secrets-encryption`, `disable-network-policy`). */
export function k3sFlagSettings(input: ClusterAuditInput, flag: string): NodeSetting[] {
  return nodesWithArgs(input).flatMap((view) => nodeArgValues(view.parsed, flag).map((arg) => ({ node: view.node, role: view.parsed.role, arg })));
}

/** Every value of a component flag given through `<component>-arg` (`kube-apiserver-arg` → `enable-admission-plugins`). */
export function componentFlagSettings(input: ClusterAuditInput, k3sFlag: string, flag: string): NodeSetting[] {
  return nodesWithArgs(input).flatMap((view) =>
    componentArgs(view.parsed, k3sFlag)
      .filter((arg) => arg.flag === flag)
      .map((arg) => ({ node: view.node, role: view.parsed.role, arg })),
  );
}

export function settingEvidence(setting: NodeSetting, subject: string): Evidence {
  return { subject: `${subject} on ${setting.role ?? 'node'} ${setting.node}`, value: setting.arg.value, source: nodeArgsSource(setting.node, setting.arg) };
}

/** A note saying which nodes carry no usable annotation, so that absence of a setting is not over-read. */
export function nodesWithoutArgsNote(input: ClusterAuditInput): Evidence[] {
  const missing = input.nodeArgs().filter((view) => !view.parsed.ok);
  if (missing.length === 0) return [];
  return [
    {
      subject: 'nodes whose k3s settings kharden could not read (no k3s.io/node-args annotation)',
      value: missing.map((view) => view.node).join(', '),
      source: { kind: 'kharden' },
    },
  ];
}
