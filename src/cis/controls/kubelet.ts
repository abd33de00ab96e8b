import { type Evidence, fail, pass, type Verdict } from '../../core/finding.ts';
import { type BenchmarkContext, type Control, defineControl } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { splitList } from './component-flags.ts';
import { isZeroDuration, type KubeletSettingSpec, type KubeletView, kubeletSettings, kubeletView, type ResolvedSetting, resolveFeatureGate, resolveSetting } from './kubelet-settings.ts';
import { listParam } from './params.ts';

/**
 * CIS 4.2.x: the kubelet's own settings on this node (servers run a kubelet too). Never the API server's
 * flags (kube-bench 1.9 reads --anonymous-auth, --authorization-mode and --client-ca-file from the API server
 * line for 4.2.1-4.2.3, and echoes a passing value on agents).
 */
type Judge = (setting: ResolvedSetting, benchmark: BenchmarkContext, view: KubeletView, input: NodeAuditInput) => Verdict;

const originLabels: Record<ResolvedSetting['origin'], string> = { flag: 'flag', config: 'kubelet config file', 'k3s-default': 'k3s default', default: 'kubelet default' };

function describe(setting: ResolvedSetting): string {
  if (setting.origin === 'default') return setting.value === null ? 'not set' : `not set (default ${setting.value})`;
  return `${setting.value ?? ''} (${originLabels[setting.origin]})`;
}

function settingControl(id: string, spec: KubeletSettingSpec, judge: Judge): Control<NodeAuditInput> {
  return defineControl<NodeAuditInput>({
    id,
    reads: [`kubelet --${spec.flag}`, `KubeletConfiguration ${spec.configPath.join('.')}`],
    check: (input, benchmark) => {
      const result = kubeletView(input);
      if (!result.ok) return result.verdict;
      return judge(resolveSetting(result.view, spec), benchmark, result.view, input);
    },
  });
}

function equalsJudge(spec: KubeletSettingSpec, expected: string): Judge {
  return (setting) =>
    setting.value === expected
      ? pass(`the kubelet ${spec.name} is ${describe(setting)}`, setting.evidence)
      : fail(`the kubelet ${spec.name} is ${describe(setting)}, not ${expected}`, setting.evidence);
}

const anonymousAuth = settingControl('kubelet.anonymous-auth', kubeletSettings.anonymousAuth, equalsJudge(kubeletSettings.anonymousAuth, 'false'));

const authorizationMode = settingControl('kubelet.authorization-mode', kubeletSettings.authorizationMode, (setting) => {
  const modes = splitList(setting.value ?? '');
  return modes.includes('AlwaysAllow') || modes.length === 0
    ? fail(`the kubelet authorization mode is ${describe(setting)}: every authenticated request is allowed`, setting.evidence)
    : pass(`the kubelet authorization mode is ${describe(setting)}`, setting.evidence);
});

function setJudge(spec: KubeletSettingSpec): Judge {
  return (setting) =>
    setting.value !== null && setting.value !== ''
      ? pass(`the kubelet ${spec.name} is ${describe(setting)}`, setting.evidence)
      : fail(`the kubelet has no ${spec.name}`, setting.evidence);
}

const clientCaFile = settingControl('kubelet.client-ca-file', kubeletSettings.clientCaFile, setJudge(kubeletSettings.clientCaFile));

const readOnlyPort = settingControl('kubelet.read-only-port', kubeletSettings.readOnlyPort, (setting) =>
  setting.value === '0'
    ? pass(`the kubelet read-only port is ${describe(setting)}: disabled`, setting.evidence)
    : fail(`the kubelet read-only port is ${describe(setting)}: it serves unauthenticated reads`, setting.evidence),
);

const streamingTimeout = settingControl('kubelet.streaming-connection-idle-timeout', kubeletSettings.streamingConnectionIdleTimeout, (setting) => {
  const zero = isZeroDuration(setting.value ?? '');
  if (zero === null) return fail(`the kubelet streaming connection idle timeout ${describe(setting)} is not a duration`, setting.evidence);
  return zero ? fail('the kubelet streaming connection idle timeout is 0: idle exec/attach/port-forward sessions never time out', setting.evidence) : pass(`the kubelet streaming connection idle timeout is ${describe(setting)}`, setting.evidence);
});

const makeIptablesUtilChains = settingControl('kubelet.make-iptables-util-chains', kubeletSettings.makeIptablesUtilChains, equalsJudge(kubeletSettings.makeIptablesUtilChains, 'true'));

const eventQps = settingControl('kubelet.event-qps', kubeletSettings.eventQps, (setting) => {
  const qps = Number(setting.value);
  return setting.value !== null && Number.isFinite(qps) && qps >= 0
    ? pass(`the kubelet event record QPS is ${describe(setting)}${qps === 0 ? ' (no limit)' : ''}`, setting.evidence)
    : fail(`the kubelet event record QPS is ${describe(setting)}`, setting.evidence);
});

/**
 * 4.2.9: both files must be configured, and where kharden has a stat of them, exist. kube-bench's 1.9 check
 * used the file paths as JSONPath expressions, which always "match": a vacuous pass.
 */
const tlsCertFile = defineControl<NodeAuditInput>({
  id: 'kubelet.tls-cert-file',
  reads: ['kubelet --tls-cert-file / tlsCertFile', 'kubelet --tls-private-key-file / tlsPrivateKeyFile'],
  check: (input) => {
    const result = kubeletView(input);
    if (!result.ok) return result.verdict;
    const settings = [resolveSetting(result.view, kubeletSettings.tlsCertFile), resolveSetting(result.view, kubeletSettings.tlsPrivateKeyFile)];
    const evidence: Evidence[] = settings.flatMap((setting) => setting.evidence);
    const unset = settings.filter((setting) => setting.value === null || setting.value === '');
    if (unset.length > 0) return fail('the kubelet has no serving certificate and key configured: it generates a self-signed certificate', evidence);
    const missingFiles: string[] = [];
    for (const setting of settings) {
      const stat = input.facts.files.find((file) => file.path === setting.value);
      if (stat === undefined) continue;
      evidence.push({ subject: stat.path, value: stat.exists ? 'exists' : null, source: { kind: 'file-stat', path: stat.path } });
      if (!stat.exists) missingFiles.push(stat.path);
    }
    if (missingFiles.length > 0) return fail(`the kubelet's serving certificate files do not exist: ${missingFiles.join(', ')}`, evidence);
    return pass('the kubelet has a serving certificate and key', evidence);
  },
});

/** 4.2.10 says "not set to false": only an explicit false fails. */
const rotateCertificates = settingControl('kubelet.rotate-certificates', kubeletSettings.rotateCertificates, (setting) =>
  setting.origin !== 'default' && setting.value === 'false'
    ? fail(`the kubelet sets rotate-certificates to false (${originLabels[setting.origin]})`, setting.evidence)
    : pass(`the kubelet client certificate rotation setting is ${describe(setting)}; k3s renews the kubelet client certificate itself`, setting.evidence),
);

const rotateServerCertificates = defineControl<NodeAuditInput>({
  id: 'kubelet.rotate-server-certificates',
  reads: ['kubelet --feature-gates / featureGates RotateKubeletServerCertificate'],
  check: (input) => {
    const result = kubeletView(input);
    if (!result.ok) return result.verdict;
    const gate = resolveFeatureGate(result.view, 'RotateKubeletServerCertificate');
    if (gate.value !== null && gate.value.toLowerCase() === 'false') return fail('the kubelet disables the RotateKubeletServerCertificate feature gate', gate.evidence);
    return pass(`the RotateKubeletServerCertificate feature gate is ${gate.value === null ? 'not set (enabled by default)' : gate.value}`, gate.evidence);
  },
});

const tlsCipherSuites = settingControl('kubelet.tls-cipher-suites', kubeletSettings.tlsCipherSuites, (setting, benchmark) => {
  const allowed = listParam(benchmark, 'allowed');
  if (setting.value === null || setting.value === '') return fail('the kubelet sets no TLS cipher suites, so Go\'s defaults (which include weaker suites) apply', setting.evidence);
  const extra = splitList(setting.value).filter((suite) => !allowed.includes(suite));
  return extra.length === 0 ? pass('the kubelet uses only allowed TLS cipher suites', setting.evidence) : fail(`the kubelet allows ${extra.join(', ')}, not allowed by ${benchmark.id}`, setting.evidence);
});

const podMaxPids = settingControl('kubelet.pod-max-pids', kubeletSettings.podMaxPids, (setting) => {
  const limit = Number(setting.value);
  return setting.value !== null && Number.isInteger(limit) && limit > 0
    ? pass(`pods are limited to ${limit} process IDs`, setting.evidence)
    : fail(`the kubelet pod PID limit is ${describe(setting)}: pods may use unlimited process IDs`, setting.evidence);
});

const seccompDefault = settingControl('kubelet.seccomp-default', kubeletSettings.seccompDefault, equalsJudge(kubeletSettings.seccompDefault, 'true'));

export const kubeletControls: readonly Control<NodeAuditInput>[] = [
  anonymousAuth,
  authorizationMode,
  clientCaFile,
  readOnlyPort,
  streamingTimeout,
  makeIptablesUtilChains,
  eventQps,
  tlsCertFile,
  rotateCertificates,
  rotateServerCertificates,
  tlsCipherSuites,
  podMaxPids,
  seccompDefault,
];
