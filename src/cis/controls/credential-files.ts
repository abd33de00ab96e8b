import type { Evidence, Verdict } from '../../core/finding.ts';
import { notApplicable } from '../../core/finding.ts';
import type { Component } from '../../facts/node-facts.ts';
import { lastValue } from '../../k3s/effective-args.ts';
import { type Control, defineControl } from '../control.ts';
import { argEvidence } from '../evidence.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { judgeMode, judgeOwner, singleFile, type WhenMissing } from './file-permissions.ts';
import { kubeletSettings, kubeletView, resolveSetting } from './kubelet-settings.ts';
import { numberParam } from './params.ts';

/**
 * CIS 1.1.13-1.1.18 and 4.1.3-4.1.8: mode and owner of the kubeconfigs and the kubelet's client CA. The path
 * is the one the component is actually given (--kubeconfig, the kubelet's clientCAFile) when kharden knows it,
 * otherwise k3s's default path under the data dir.
 */
interface CredentialFile {
  name: string;
  /** Where k3s puts it, relative to the data dir. */
  defaultPath: string;
  /** The component flag that names the file, when there is one. */
  flag?: { component: Component; flag: string };
  /** The file belongs to the agent side (kubelet, kube-proxy): not there when the agent is disabled. */
  agent: boolean;
  whenMissing: WhenMissing;
}

const files: ReadonlyArray<readonly [id: string, file: CredentialFile]> = [
  ['admin-kubeconfig', { name: 'admin kubeconfig', defaultPath: 'server/cred/admin.kubeconfig', agent: false, whenMissing: { status: 'UNKNOWN', reason: 'k3s creates it on every server; check --data-dir and that k3s has started' } }],
  [
    'scheduler-kubeconfig',
    { name: 'scheduler kubeconfig', defaultPath: 'server/cred/scheduler.kubeconfig', flag: { component: 'kube-scheduler', flag: 'kubeconfig' }, agent: false, whenMissing: { status: 'UNKNOWN', reason: 'k3s creates it on every server; check --data-dir and that k3s has started' } },
  ],
  [
    'controller-kubeconfig',
    {
      name: 'controller-manager kubeconfig',
      defaultPath: 'server/cred/controller.kubeconfig',
      flag: { component: 'kube-controller-manager', flag: 'kubeconfig' },
      agent: false,
      whenMissing: { status: 'UNKNOWN', reason: 'k3s creates it on every server; check --data-dir and that k3s has started' },
    },
  ],
  [
    'kubeproxy-kubeconfig',
    { name: 'kube-proxy kubeconfig', defaultPath: 'agent/kubeproxy.kubeconfig', flag: { component: 'kube-proxy', flag: 'kubeconfig' }, agent: true, whenMissing: { status: 'N/A', reason: 'kube-proxy does not run with a kubeconfig on this node (the benchmark applies only if the file exists)' } },
  ],
  [
    'kubelet-kubeconfig',
    { name: 'kubelet kubeconfig', defaultPath: 'agent/kubelet.kubeconfig', flag: { component: 'kubelet', flag: 'kubeconfig' }, agent: true, whenMissing: { status: 'UNKNOWN', reason: 'k3s creates it on every node running the kubelet; check --data-dir and that k3s has started' } },
  ],
  ['kubelet-client-ca', { name: 'kubelet client CA file', defaultPath: 'agent/client-ca.crt', agent: true, whenMissing: { status: 'UNKNOWN', reason: 'k3s writes it on every node running the kubelet; check --data-dir and that k3s has started' } }],
];

interface ResolvedPath {
  path: string;
  evidence: Evidence[];
}

function resolvePath(input: NodeAuditInput, id: string, file: CredentialFile): ResolvedPath {
  const fallback = `${input.context.dataDir}/${file.defaultPath}`;
  if (file.flag !== undefined) {
    const args = input.args.components[file.flag.component];
    const value = args.known ? lastValue(args, file.flag.flag) : null;
    if (value !== null && value.value !== '') return { path: value.value, evidence: [argEvidence(file.flag.component, value)] };
  }
  if (id === 'kubelet-client-ca') {
    const view = kubeletView(input);
    if (view.ok) {
      const setting = resolveSetting(view.view, kubeletSettings.clientCaFile);
      if (setting.value !== null && setting.value !== '') return { path: setting.value, evidence: setting.evidence };
    }
  }
  return { path: fallback, evidence: [] };
}

function agentDisabled(input: NodeAuditInput, file: CredentialFile): Verdict | null {
  const disabled = input.context.agentDisabled;
  if (!file.agent || disabled === null) return null;
  return notApplicable(`this server runs with --disable-agent: there is no ${file.name}`, [{ subject: 'k3s --disable-agent', value: disabled.value, source: disabled.source }]);
}

function kubeProxyDisabled(input: NodeAuditInput, id: string): Verdict | null {
  const disabled = input.context.kubeProxyDisabled;
  if (id !== 'kubeproxy-kubeconfig' || disabled === null) return null;
  return notApplicable('k3s runs with --disable-kube-proxy: there is no kube-proxy kubeconfig', [{ subject: 'k3s --disable-kube-proxy', value: disabled.value, source: disabled.source }]);
}

function modeControl(id: string, file: CredentialFile): Control<NodeAuditInput> {
  return defineControl<NodeAuditInput>({
    id: `file.${id}.mode`,
    reads: [`${file.defaultPath} mode (under the data dir)`],
    check: (input, benchmark) => {
      const skip = agentDisabled(input, file) ?? kubeProxyDisabled(input, id);
      if (skip !== null) return skip;
      const { path, evidence } = resolvePath(input, id, file);
      return singleFile(input.facts, path, file.whenMissing, (stat) => judgeMode(stat, numberParam(benchmark, 'mode'), evidence), evidence);
    },
  });
}

function ownerControl(id: string, file: CredentialFile): Control<NodeAuditInput> {
  return defineControl<NodeAuditInput>({
    id: `file.${id}.owner`,
    reads: [`${file.defaultPath} owner (under the data dir)`],
    check: (input) => {
      const skip = agentDisabled(input, file) ?? kubeProxyDisabled(input, id);
      if (skip !== null) return skip;
      const { path, evidence } = resolvePath(input, id, file);
      return singleFile(input.facts, path, file.whenMissing, (stat) => judgeOwner(stat, evidence), evidence);
    },
  });
}

export const credentialFileControls: readonly Control<NodeAuditInput>[] = files.flatMap(([id, file]) => [modeControl(id, file), ownerControl(id, file)]);
