import { type Evidence, notApplicable, unknown, type Verdict } from '../../core/finding.ts';
import type { Source } from '../../core/source.ts';
import type { StructuredFile } from '../../facts/node-facts.ts';
import { type ArgValue, type ComponentArgs, lastValue } from '../../k3s/effective-args.ts';
import { absentArgEvidence, argEvidence } from '../evidence.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { splitList, unknownArgs } from './component-flags.ts';
import { isMapping, valueAt } from './config-mapping.ts';

/**
 * The kubelet's own settings, resolved the way the kubelet does: command-line flags win over the config file
 * (--config) and the drop-in directory (--config-dir, `*.conf` in name order, later files win), which win over
 * the kubelet's defaults. Newer k3s passes few flags and writes agent/etc/kubelet.conf.d/00-k3s-defaults.conf,
 * so reading only the `Running kubelet` line (or, worse, the API server's line) gives wrong answers.
 *
 * The defaults differ with and without --config: the flag defaults are the legacy ones (anonymous auth on,
 * AlwaysAllow, read-only port 10255); a config file is defaulted like KubeletConfiguration v1beta1. Without
 * --config kharden assumes the legacy defaults, the pessimistic reading.
 */
export interface KubeletSettingSpec {
  /** What the report calls it. */
  name: string;
  flag: string;
  configPath: readonly string[];
  legacyDefault: string | null;
  configDefault: string | null;
}

export const kubeletSettings = {
  anonymousAuth: { name: 'anonymous authentication', flag: 'anonymous-auth', configPath: ['authentication', 'anonymous', 'enabled'], legacyDefault: 'true', configDefault: 'false' },
  authorizationMode: { name: 'authorization mode', flag: 'authorization-mode', configPath: ['authorization', 'mode'], legacyDefault: 'AlwaysAllow', configDefault: 'Webhook' },
  clientCaFile: { name: 'client CA file', flag: 'client-ca-file', configPath: ['authentication', 'x509', 'clientCAFile'], legacyDefault: null, configDefault: null },
  readOnlyPort: { name: 'read-only port', flag: 'read-only-port', configPath: ['readOnlyPort'], legacyDefault: '10255', configDefault: '0' },
  streamingConnectionIdleTimeout: {
    name: 'streaming connection idle timeout',
    flag: 'streaming-connection-idle-timeout',
    configPath: ['streamingConnectionIdleTimeout'],
    legacyDefault: '4h0m0s',
    configDefault: '4h0m0s',
  },
  makeIptablesUtilChains: { name: 'make-iptables-util-chains', flag: 'make-iptables-util-chains', configPath: ['makeIPTablesUtilChains'], legacyDefault: 'true', configDefault: 'true' },
  eventQps: { name: 'event record QPS', flag: 'event-qps', configPath: ['eventRecordQPS'], legacyDefault: '50', configDefault: '50' },
  tlsCertFile: { name: 'serving certificate', flag: 'tls-cert-file', configPath: ['tlsCertFile'], legacyDefault: null, configDefault: null },
  tlsPrivateKeyFile: { name: 'serving key', flag: 'tls-private-key-file', configPath: ['tlsPrivateKeyFile'], legacyDefault: null, configDefault: null },
  rotateCertificates: { name: 'client certificate rotation', flag: 'rotate-certificates', configPath: ['rotateCertificates'], legacyDefault: 'false', configDefault: 'false' },
  tlsCipherSuites: { name: 'TLS cipher suites', flag: 'tls-cipher-suites', configPath: ['tlsCipherSuites'], legacyDefault: null, configDefault: null },
  podMaxPids: { name: 'pod PID limit', flag: 'pod-max-pids', configPath: ['podPidsLimit'], legacyDefault: '-1', configDefault: '-1' },
  seccompDefault: { name: 'seccomp default', flag: 'seccomp-default', configPath: ['seccompDefault'], legacyDefault: 'false', configDefault: 'false' },
  protectKernelDefaults: { name: 'protect-kernel-defaults', flag: 'protect-kernel-defaults', configPath: ['protectKernelDefaults'], legacyDefault: 'false', configDefault: 'false' },
} as const satisfies Record<string, KubeletSettingSpec>;

export interface KubeletConfigLayer {
  path: string;
  content: Record<string, unknown>;
  /** --config (one file) or a drop-in of --config-dir. */
  role: 'config' | 'drop-in';
}

export interface KubeletView {
  args: ComponentArgs & { known: true };
  /** In the order the kubelet applies them (later wins). */
  layers: readonly KubeletConfigLayer[];
  /** Which defaults apply to settings nothing sets. */
  defaults: 'config' | 'legacy';
  configFile: ArgValue | null;
  configDir: ArgValue | null;
}

export type KubeletViewResult = { ok: true; view: KubeletView } | { ok: false; verdict: Verdict };

export interface ResolvedSetting {
  /** flag: a kubelet flag; config: a KubeletConfiguration file; k3s-default: what k3s sets; default: the kubelet's own default. */
  origin: 'flag' | 'config' | 'k3s-default' | 'default';
  /** null when nothing sets it and the kubelet has no default (for example no client CA file). */
  value: string | null;
  evidence: Evidence[];
}

export function kubeletView(input: NodeAuditInput): KubeletViewResult {
  const disabled = input.context.agentDisabled;
  if (disabled !== null) {
    return { ok: false, verdict: notApplicable('this server runs with --disable-agent: no kubelet runs on it', [{ subject: 'k3s --disable-agent', value: disabled.value, source: disabled.source }]) };
  }
  const args = input.args.components.kubelet;
  if (!args.known) return { ok: false, verdict: unknownArgs(args.reason, 'kubelet', input.args.state) };

  const configFile = lastValue(args, 'config');
  const configDir = lastValue(args, 'config-dir');
  const layers: KubeletConfigLayer[] = [];
  const files = input.facts.kubeletConfigFiles;

  if (configFile !== null && configFile.value !== '') {
    const file = files.find((candidate) => candidate.path === configFile.value);
    if (file === undefined) return { ok: false, verdict: unknown(`the kubelet runs with --config ${configFile.value}, which kharden did not read; collect it to judge the kubelet`, [argEvidence('kubelet', configFile)]) };
    const layer = toLayer(file, 'config');
    if (!layer.ok) return { ok: false, verdict: unknown(layer.reason, [argEvidence('kubelet', configFile), layer.evidence]) };
    if (layer.layer !== null) layers.push(layer.layer);
  }
  if (configDir !== null && configDir.value !== '') {
    const directory = configDir.value.replace(/\/+$/, '');
    const dropIns = files
      .filter((file) => file.path.startsWith(`${directory}/`) && !file.path.slice(directory.length + 1).includes('/') && file.path.endsWith('.conf'))
      .sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
    // In the configured state the effective args already carry what k3s will write into 00-k3s-defaults.conf
    // at its next start; in the running state the files the kubelet read must be in hand.
    if (dropIns.filter((file) => file.present).length === 0 && input.args.state === 'running') {
      return {
        ok: false,
        verdict: unknown(`the kubelet runs with --config-dir ${directory}, but kharden read no .conf file from it; k3s writes 00-k3s-defaults.conf there: collect the directory to judge the kubelet`, [argEvidence('kubelet', configDir)]),
      };
    }
    for (const file of dropIns) {
      const layer = toLayer(file, 'drop-in');
      if (!layer.ok) return { ok: false, verdict: unknown(layer.reason, [argEvidence('kubelet', configDir), layer.evidence]) };
      if (layer.layer !== null) layers.push(layer.layer);
    }
  }
  return { ok: true, view: { args, layers, defaults: configFile !== null && configFile.value !== '' ? 'config' : 'legacy', configFile, configDir } };
}

type LayerResult = { ok: true; layer: KubeletConfigLayer | null } | { ok: false; reason: string; evidence: Evidence };

/** Only a KubeletConfiguration counts: a kubeconfig (kind Config) read as kubelet settings is kube-bench's 1.9 mistake. */
function toLayer(file: StructuredFile, role: KubeletConfigLayer['role']): LayerResult {
  const source: Source = { kind: 'file-content', path: file.path };
  const evidence: Evidence = { subject: file.path, value: null, source };
  if (file.error !== undefined) {
    const where = file.error.line === undefined ? '' : ` (line ${file.error.line})`;
    return { ok: false, reason: `the kubelet configuration ${file.path} could not be read${where}: ${file.error.message}`, evidence };
  }
  if (!file.present) return { ok: true, layer: null };
  const content = file.content;
  if (!isMapping(content)) return { ok: false, reason: `${file.path} is not a KubeletConfiguration (not a mapping)`, evidence };
  const kind = content['kind'];
  const apiVersion = content['apiVersion'];
  if (kind !== 'KubeletConfiguration' || typeof apiVersion !== 'string' || !apiVersion.startsWith('kubelet.config.k8s.io/')) {
    return {
      ok: false,
      reason: `${file.path} is not a KubeletConfiguration (kind ${typeof kind === 'string' ? kind : 'missing'}, apiVersion ${typeof apiVersion === 'string' ? apiVersion : 'missing'}); the kubelet would not start with it`,
      evidence: { ...evidence, value: typeof kind === 'string' ? kind : null },
    };
  }
  return { ok: true, layer: { path: file.path, content, role } };
}

export function resolveSetting(view: KubeletView, spec: KubeletSettingSpec): ResolvedSetting {
  // The effective args may already hold the config files' values under the flag names (k3s/kubelet-config
  // folds them in below the logged flags), so the source says where a value really comes from.
  const flag = lastValue(view.args, spec.flag);
  if (flag !== null) {
    const origin = originOf(flag);
    const all = view.args.values.filter((value) => value.flag === spec.flag && originOf(value) === origin);
    // String-slice flags accumulate when repeated; the others keep the last value.
    const used = spec.flag === 'tls-cipher-suites' && origin === 'flag' ? all : [flag];
    const value = used.map((item) => item.value).join(',');
    const subject = origin === 'flag' ? `kubelet --${spec.flag}` : `kubelet ${spec.configPath.join('.')}`;
    return { origin, value, evidence: used.map((item) => ({ subject, value: item.value, source: item.source })) };
  }
  for (let index = view.layers.length - 1; index >= 0; index -= 1) {
    const layer = view.layers[index];
    if (layer === undefined) continue;
    const raw = valueAt(layer.content, spec.configPath);
    if (raw === undefined || raw === null) continue;
    const value = normalize(raw);
    const path = spec.configPath.join('.');
    return { origin: 'config', value, evidence: [{ subject: `kubelet ${path}`, value, source: { kind: 'file-content', path: layer.path, detail: path } }] };
  }
  const value = view.defaults === 'config' ? spec.configDefault : spec.legacyDefault;
  const looked = [`--${spec.flag}`, ...view.layers.map((layer) => layer.path)].join(', ');
  const which = view.defaults === 'config' ? 'KubeletConfiguration default' : 'kubelet flag default (no --config file)';
  return {
    origin: 'default',
    value,
    evidence: [
      absentArgEvidence(view.args, spec.flag),
      { subject: `kubelet ${spec.name}`, value, source: { kind: 'kharden', detail: `not set in ${looked}: ${which}` } },
    ],
  };
}

function originOf(value: ArgValue): ResolvedSetting['origin'] {
  if (value.source.kind === 'file-content') return 'config';
  if (value.source.kind === 'k3s-default') return 'k3s-default';
  return 'flag';
}

/** A feature gate: --feature-gates entries win over featureGates in the config layers; null when nothing sets it. */
export function resolveFeatureGate(view: KubeletView, gate: string): ResolvedSetting {
  const flags = view.args.values.filter((value) => value.flag === 'feature-gates');
  for (let index = flags.length - 1; index >= 0; index -= 1) {
    const flag = flags[index];
    if (flag === undefined) continue;
    const entry = splitList(flag.value)
      .map((item) => item.split('='))
      .filter(([name]) => name?.trim() === gate)
      .pop();
    if (entry !== undefined) return { origin: originOf(flag), value: (entry[1] ?? '').trim(), evidence: [argEvidence('kubelet', flag)] };
  }
  for (let index = view.layers.length - 1; index >= 0; index -= 1) {
    const layer = view.layers[index];
    if (layer === undefined) continue;
    const value = valueAt(layer.content, ['featureGates', gate]);
    if (value === undefined || value === null) continue;
    const text = normalize(value);
    return { origin: 'config', value: text, evidence: [{ subject: `kubelet featureGates.${gate}`, value: text, source: { kind: 'file-content', path: layer.path, detail: `featureGates.${gate}` } }] };
  }
  return {
    origin: 'default',
    value: null,
    evidence: [{ subject: `kubelet feature gate ${gate}`, value: null, source: { kind: 'kharden', detail: `not set in --feature-gates or featureGates of ${view.layers.length} kubelet config file(s)` } }],
  };
}

function normalize(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => normalize(item)).join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Go durations as the kubelet accepts them (`5m`, `4h0m0s`, `0`, `0s`, `1.5h`): true when the duration is zero. */
export function isZeroDuration(text: string): boolean | null {
  const trimmed = text.trim();
  if (trimmed === '0') return true;
  const parts = trimmed.match(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g);
  if (parts === null || parts.join('') !== trimmed.replace(/^[+]/, '')) return null;
  return parts.every((part) => Number.parseFloat(part) === 0);
}
