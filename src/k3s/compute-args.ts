import type { Source } from '../core/source.ts';
import { components, type Component, type NodeFacts, type RunningLine, type StructuredFile } from '../facts/node-facts.ts';
import { combineArgs, type ExtraArg } from './component-args.ts';
import { componentPlan, defaultSource, passesReadOnlyPortFlag, usesKubeletConfigDir } from './component-defaults.ts';
import { settingBool, settingValue, settingValues } from './config-merge.ts';
import type { ArgDrift, ArgsState, ArgValue, ComponentArgs, EffectiveArgs, EffectiveArgsFunction } from './effective-args.ts';
import { etcdConfigArgs, kubeletConfigArgs, kubeletDropInOrder } from './kubelet-config.ts';
import { flagOfArg } from './log-lines.ts';
import { nodeContext, type NodeContext } from './node-context.ts';
import { containerdSocket, k3sPaths } from './paths.ts';
import type { K3sVersion } from './version.ts';

/**
 * effectiveArgs (the contract in effective-args.ts): each component's arguments with their sources.
 * - running: the component's last `Running …` log line (kubelet: plus the drop-in files it reads;
 *   etcd: server/db/etcd/config, which k3s rewrites at every start); without a log line, computed from
 *   the configuration, and every value says so in its source.
 * - configured: k3s's defaults for the binary's version + config files + service unit + environment.
 * - drift: flags whose logged value differs from what the configuration now implies.
 */
export const effectiveArgs: EffectiveArgsFunction = (facts, state) => {
  const running = allComponents((component) => runningArgs(component, facts, nodeContext(facts, 'running')));
  const configured = allComponents((component) => configuredArgs(component, facts, nodeContext(facts, 'configured')));
  const drift = computeDrift(facts, running, configured);
  return { state, components: state === 'running' ? running : configured, drift };
};

function allComponents(compute: (component: Component) => ComponentArgs): Record<Component, ComponentArgs> {
  const result = {} as Record<Component, ComponentArgs>;
  for (const component of components) result[component] = compute(component);
  return result;
}

function configuredArgs(component: Component, facts: NodeFacts, context: NodeContext, note?: string): ComponentArgs {
  const plan = componentPlan(component, context);
  if (!plan.runs) return { known: false, component, reason: plan.reason };
  const version = context.version as K3sVersion;
  let values: ArgValue[];
  if (component === 'kubelet') {
    values = kubeletConfigured(facts, context, plan.defaults, plan.extra, version);
  } else if (component === 'etcd') {
    values = combineArgs(plan.defaults, plan.extra.map(flattenEtcdArg));
  } else {
    values = combineArgs(plan.defaults, plan.extra);
  }
  const notes = [...context.notes, ...(note === undefined ? [] : [note])];
  if (notes.length > 0) values = values.map((value) => withNote(value, notes.join('; ')));
  return { known: true, component, values };
}

function withNote(value: ArgValue, note: string): ArgValue {
  const detail = value.source.detail === undefined ? note : `${value.source.detail} (${note})`;
  return { ...value, source: { ...value.source, detail } };
}

/** etcd-arg values become top-level keys of etcd's config file (pkg/daemons/executor ToConfigFile). */
function flattenEtcdArg(extra: ExtraArg): ExtraArg {
  return { arg: extra.arg.replace(/^--/, ''), source: extra.source };
}

function kubeletConfigured(facts: NodeFacts, context: NodeContext, defaults: Map<string, ArgValue>, extra: readonly ExtraArg[], version: K3sVersion): ArgValue[] {
  const p = k3sPaths(context.dataDir);
  const configArg = lastExtra(extra, 'config');
  const configDirArg = lastExtra(extra, 'config-dir');
  if (!usesKubeletConfigDir(version)) {
    // Before 1.32 `config=FILE` goes straight to the kubelet as --config: its fields sit below the flags.
    const configFile = configArg === null ? null : findFile(facts, configArg.value);
    return [...(configFile === null ? [] : kubeletConfigArgs([configFile])), ...combineArgs(defaults, extra)];
  }
  // 1.32+: k3s strips config= and config-dir= and copies them into its drop-in directory.
  const flags = combineArgs(defaults, extra.filter((item) => !['config', 'config-dir'].includes(extraFlag(item.arg))));
  const dropIns: StructuredFile[] = [];
  const current = kubeletDropInOrder(facts.kubeletConfigFiles, p.kubeletConfigDir);
  for (const file of current) {
    const name = file.path.slice(p.kubeletConfigDir.length + 1);
    if (name === '00-k3s-defaults.conf') continue;
    if (name === '10-cli-config.conf' && configArg !== null) continue;
    if (name.startsWith('20-cli-config-dir/') && configDirArg !== null) continue;
    dropIns.push(file);
  }
  if (configArg !== null) {
    const source = findFile(facts, configArg.value);
    if (source !== null) dropIns.push({ ...source, path: `${p.kubeletConfigDir}/10-cli-config.conf`, fieldLines: {} });
  }
  if (configDirArg !== null) {
    const dir = configDirArg.value.replace(/\/$/, '');
    for (const file of kubeletDropInOrder(facts.kubeletConfigFiles, dir)) dropIns.push(file);
  }
  const ordered = [...dropIns].sort((a, b) => (a.path < b.path ? -1 : 1));
  return [
    ...legacyKubeletBaseline(context, version),
    ...k3sKubeletDefaultConfig(context),
    ...kubeletConfigArgs(ordered),
    ...flags,
  ];
}

function extraFlag(arg: string): string {
  return arg.replace(/^--/, '').replace(/=.*$/s, '').replace(/[+-]+$/, '');
}

function lastExtra(extra: readonly ExtraArg[], flag: string): { value: string; source: Source } | null {
  for (let index = extra.length - 1; index >= 0; index -= 1) {
    const item = extra[index] as ExtraArg;
    if (extraFlag(item.arg) === flag) return { value: item.arg.slice(item.arg.indexOf('=') + 1), source: item.source };
  }
  return null;
}

function findFile(facts: NodeFacts, filePath: string): StructuredFile | null {
  return facts.kubeletConfigFiles.find((file) => file.path === filePath) ?? null;
}

/**
 * Without `--config`, the kubelet starts from its legacy command-line defaults. The only one the benchmark
 * cares about that k3s's drop-in does not override is the read-only port: k3s's 00-k3s-defaults.conf
 * cannot express 0 (the field is omitted), so it stays 10255 unless `--read-only-port=0` is passed
 * (k3s-io/k3s#12164, fixed in v1.32.4).
 */
function legacyKubeletBaseline(context: NodeContext, version: K3sVersion): ArgValue[] {
  if (passesReadOnlyPortFlag(version)) return [];
  const base = defaultSource(context, 'runs the kubelet without --config');
  return [{ flag: 'read-only-port', value: '10255', source: { ...base, detail: `${base.detail ?? ''}: the kubelet's legacy default read-only port applies (k3s-io/k3s#12164)` } }];
}

/** What k3s 1.32+ writes into 00-k3s-defaults.conf (pkg/daemons/agent defaultKubeletConfig), as kubelet flags. */
export function k3sKubeletDefaultConfig(context: NodeContext): ArgValue[] {
  const s = context.settings;
  const p = k3sPaths(context.dataDir);
  const base = defaultSource(context, 'kubelet config');
  const source: Source = { kind: 'k3s-default', path: p.kubeletDefaultsDropIn, detail: `${base.detail ?? ''} (00-k3s-defaults.conf)` };
  const values: ArgValue[] = [];
  const set = (flag: string, value: string): void => {
    values.push({ flag, value, source });
  };
  set('address', settingValue(s, 'bind-address')?.value ?? '0.0.0.0');
  if (!settingValues(s, 'disable').some((item) => item.value.split(',').includes('servicelb'))) set('allowed-unsafe-sysctls', 'net.ipv4.ip_forward,net.ipv6.conf.all.forwarding');
  set('anonymous-auth', 'false');
  set('authentication-token-webhook', 'true');
  set('client-ca-file', p.agentClientCa);
  set('authorization-mode', 'Webhook');
  const dns = settingValues(s, 'cluster-dns');
  if (dns.length > 0) set('cluster-dns', dns.map((item) => item.value).join(','));
  else if (context.role === 'server') set('cluster-dns', '10.43.0.10');
  set('cluster-domain', settingValue(s, 'cluster-domain')?.value ?? 'cluster.local');
  set('container-runtime-endpoint', settingValue(s, 'container-runtime-endpoint')?.value ?? `unix://${containerdSocket}`);
  set('eviction-hard', 'imagefs.available<5%,nodefs.available<5%');
  set('eviction-minimum-reclaim', 'imagefs.available=10%,nodefs.available=10%');
  set('fail-swap-on', 'false');
  set('healthz-bind-address', '127.0.0.1');
  if (settingBool(s, 'protect-kernel-defaults')?.value === true) {
    const setting = settingBool(s, 'protect-kernel-defaults');
    values.push({ flag: 'protect-kernel-defaults', value: 'true', source: { ...(setting?.source ?? source), detail: 'protect-kernel-defaults → kubelet protectKernelDefaults (00-k3s-defaults.conf)' } });
  }
  const resolv = settingValue(s, 'resolv-conf');
  if (resolv !== null) set('resolv-conf', resolv.value);
  set('serialize-image-pulls', 'false');
  set('pod-manifest-path', p.podManifestsDir);
  set('streaming-connection-idle-timeout', '4h0m0s');
  set('tls-cert-file', p.servingKubeletCert);
  set('tls-private-key-file', p.servingKubeletKey);
  return values;
}

function runningArgs(component: Component, facts: NodeFacts, context: NodeContext): ComponentArgs {
  // Facts from a Node's k3s.io/node-args annotation (src/k3s/node-args.ts) have no log and no files: every
  // value is either set in the annotation or k3s's default for what it sets, and its source says which.
  if (facts.collector.mode === 'node-args') {
    const args = configuredArgs(component, facts, context);
    if (!args.known) return args;
    const annotation = nodeArgsAnnotationOf(facts.hostname ?? 'the node');
    return {
      ...args,
      values: args.values.map((value) => fromNodeArgs(value, annotation)),
      unsetSource: { kind: 'kharden', detail: `${component} arguments computed from k3s defaults and ${annotation}` },
    };
  }
  if (component === 'etcd') {
    const plan = componentPlan('etcd', context);
    const file = facts.etcdConfig;
    if (plan.runs && file !== null && file.present && file.error === undefined) return { known: true, component, values: etcdConfigArgs(file) };
    if (!plan.runs) return { known: false, component, reason: plan.reason };
    return configuredArgs(component, facts, context, noLogNote(facts, component));
  }
  const line = facts.k3s.logs.running.find((item) => item.component === component);
  if (line === undefined) {
    const plan = componentPlan(component, context);
    if (!plan.runs) return { known: false, component, reason: plan.reason };
    if (context.launch === null && facts.k3s.configFiles.every((file) => !file.present)) {
      return { known: false, component, reason: `${noLogNote(facts, component)}, and no k3s configuration was found to compute it from` };
    }
    return configuredArgs(component, facts, context, `${noLogNote(facts, component)}; computed from the configuration`);
  }
  const logged = loggedValues(line);
  if (component !== 'kubelet') return { known: true, component, values: logged };
  return { known: true, component, values: [...kubeletFilesForLoggedLine(facts, context, logged), ...logged] };
}

function loggedValues(line: RunningLine): ArgValue[] {
  const detail = line.time === undefined ? line.source.detail : `${line.source.detail ?? 'logged'} at ${line.time}`;
  const source: Source = detail === undefined ? line.source : { ...line.source, detail };
  return line.args.map((arg) => ({ ...flagOfArg(arg), source }));
}

/** The config the kubelet read when it started with the logged flags: `--config` file and `--config-dir` drop-ins. */
function kubeletFilesForLoggedLine(facts: NodeFacts, context: NodeContext, logged: readonly ArgValue[]): ArgValue[] {
  const lastFlag = (flag: string) => [...logged].reverse().find((value) => value.flag === flag)?.value;
  const configFile = lastFlag('config');
  const configDir = lastFlag('config-dir');
  const files: StructuredFile[] = [];
  if (configFile !== undefined) {
    const file = findFile(facts, configFile);
    if (file !== null) files.push(file);
  }
  if (configDir !== undefined) files.push(...kubeletDropInOrder(facts.kubeletConfigFiles, configDir.replace(/\/$/, '')));
  // Started with --config-dir but no --config: the kubelet's legacy flag defaults are the base (k3s-io/k3s#12164).
  const legacyBase = configDir !== undefined && configFile === undefined && lastFlag('read-only-port') === undefined;
  const base = defaultSource(context, 'runs the kubelet with --config-dir and without --config');
  const baseline: ArgValue[] = legacyBase
    ? [{ flag: 'read-only-port', value: '10255', source: { ...base, detail: `${base.detail ?? ''}: the kubelet's legacy default read-only port applies (k3s-io/k3s#12164)` } }]
    : [];
  return [...baseline, ...kubeletConfigArgs(files)];
}

/**
 * The source of a value computed from a node-args annotation: set there (the annotation's own source, with
 * the node's API path and the k3s flag), or k3s's default for a flag the annotation does not set.
 */
function fromNodeArgs(value: ArgValue, annotation: string): ArgValue {
  if (value.source.kind === 'node-args-annotation') return value;
  return withNote(value, value.source.kind === 'k3s-default' ? `not set in ${annotation}` : `computed from ${annotation}`);
}

/** `Node edge-1's k3s.io/node-args annotation` */
function nodeArgsAnnotationOf(node: string): string {
  return `Node ${node}'s k3s.io/node-args annotation`;
}

function noLogNote(facts: NodeFacts, component: Component): string {
  const tried = facts.k3s.logs.sources.map((source) => source.name).join(', ');
  const where = component === 'etcd' ? `no ${k3sPaths(facts.k3s.dataDir).etcdConfig}` : `no Running ${component} line in the k3s log`;
  return tried === '' ? where : `${where} (looked in ${tried})`;
}

/**
 * Flags that k3s computes at start from the host or the server (addresses, cgroups, DNS handed down by
 * the server, runtime paths) or sets internally per version: a difference there is not a config change.
 */
const driftIgnored = new Set([
  'advertise-address', 'advertise-client-urls', 'node-ip', 'hostname-override', 'cgroup-driver', 'resolv-conf',
  'kubelet-cgroups', 'runtime-cgroups', 'feature-gates', 'pod-infra-container-image', 'cni-bin-dir', 'cni-conf-dir',
  'image-credential-provider-bin-dir', 'image-credential-provider-config', 'cluster-dns', 'name', 'initial-cluster',
  'initial-cluster-state', 'initial-advertise-peer-urls', 'listen-client-urls', 'listen-peer-urls', 'listen-client-http-urls',
  'log-outputs', 'logger', 'socket-options', 'experimental-initial-corrupt-check', 'experimental-watch-progress-notify-interval',
  'container-runtime', 'eviction-minimum-reclaim', 'v',
]);

function computeDrift(facts: NodeFacts, running: Record<Component, ComponentArgs>, configured: Record<Component, ComponentArgs>): ArgDrift[] {
  const drift: ArgDrift[] = [];
  for (const component of components) {
    const run = running[component];
    const conf = configured[component];
    const logged = component === 'etcd' ? facts.etcdConfig?.present === true : facts.k3s.logs.running.some((line) => line.component === component);
    if (!logged || !run.known || !conf.known) continue;
    const runValues = lastValues(run.values);
    const confValues = lastValues(conf.values);
    const flags = component === 'etcd' ? [...confValues.keys()] : [...new Set([...runValues.keys(), ...confValues.keys()])];
    const agent = facts.k3s.role?.value === 'agent';
    for (const flag of flags.sort()) {
      if (driftIgnored.has(flag)) continue;
      // An agent receives the cluster CIDR from its server, not from its own configuration.
      if (agent && flag === 'cluster-cidr') continue;
      const r = runValues.get(flag) ?? null;
      const c = confValues.get(flag) ?? null;
      if (r !== c) drift.push({ component, flag, running: r, configured: c });
    }
  }
  return drift;
}

/** Effective value per flag: the last occurrence, or every occurrence joined for a repeated flag. */
function lastValues(values: readonly ArgValue[]): Map<string, string> {
  const result = new Map<string, string>();
  const grouped = new Map<string, ArgValue[]>();
  for (const value of values) grouped.set(value.flag, [...(grouped.get(value.flag) ?? []), value]);
  for (const [flag, list] of grouped) {
    const bySource = new Set(list.map((item) => item.source.kind));
    // Repeated flags from GetArgs (appends) are one list; a flag overriding a config-file value is a scalar.
    const repeated = list.length > 1 && bySource.size === 1 && !bySource.has('file-content');
    result.set(flag, repeated ? list.map((item) => item.value).join(',') : (list[list.length - 1]?.value ?? ''));
  }
  return result;
}

export type { ArgsState, EffectiveArgs };
