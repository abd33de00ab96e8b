import { posix } from 'node:path';
import { Document, parse as parseYaml } from 'yaml';
import { inputError } from '../core/errors.ts';
import type { Source } from '../core/source.ts';
import type { NodeFacts, Role } from '../facts/node-facts.ts';
import { kubeletKernelParameters } from '../k3s/host-kernel.ts';
import { defaultConfigFile } from '../k3s/paths.ts';
import { type AdmissionConfigInput, admissionConfigContent, mergeAdmissionConfig, type PsaLevel } from './admission-config.ts';
import { auditPolicyContent } from './audit-policy.ts';
import { type Conflict, resolveSettings } from './config-resolution.ts';
import type { CurrentFile, CurrentFiles } from './current-files.ts';
import { type DesiredSetting, describeSetting, desiredSettings, usesPodSecurityPolicy } from './desired-config.ts';
import { dropInContent } from './drop-in-file.ts';
import { attributeChanges } from './file-requirements.ts';
import type { FileOperation } from './file-operation.ts';
import { bundledComponents, defaultPolicyNamespaces, namespacePolicies, policyFileName } from './network-policies.ts';
import { validateGeneratedYaml } from './object-schemas.ts';
import { podSecurityPolicies, podSecurityPolicyFileName } from './pod-security-policies.ts';
import { laterBootOverrides, type SysctlOverride, sysctlFileContent } from './sysctl-file.ts';
import { type TargetPaths, targetPaths } from './target-paths.ts';
import { unifiedDiff } from './unified-diff.ts';
import { type UserConfig, userConfig } from './user-config.ts';

export interface HardenOptions {
  psaLevel: PsaLevel;
  psaExemptNamespaces: readonly string[];
  /** Where the API server writes its audit log (default DATA_DIR/server/logs). */
  auditLogDir?: string;
  netpol: boolean;
  secretsEncryption: boolean;
  /** Namespaces that get NetworkPolicies besides kube-system, kube-public and default. */
  netpolNamespaces: readonly string[];
}

export interface BenchmarkParams {
  id: string;
  title: string;
  /** Whether the benchmark asks for the kubelet's seccomp default (4.2.14). */
  seccompDefault: boolean;
  certMode: number;
  clientCaMode: number;
}

export interface PlanTarget {
  role: Role;
  /** `v1.31.4+k3s1` */
  version: string;
  minor: number;
  benchmark: BenchmarkParams;
}

export type ChangeAction = 'create' | 'modify' | 'mkdir' | 'chmod' | 'chown' | 'chmod+chown';
/** What must happen for a change to take effect. */
export type Activation = 'k3s-restart' | 'immediate' | 'boot-or-apply-sysctl' | 'k3s-manifests';

export interface PlannedChange {
  path: string;
  action: ChangeAction;
  what: string;
  /** Unified diff for file content changes, null otherwise. */
  diff: string | null;
  mode: number;
  uid: number;
  gid: number;
  before: { mode: number; uid: number; gid: number } | null;
  /** CIS ids of the selected benchmark this change makes pass in the configured-state audit (filled by the attribution). */
  controls: string[];
  /** Section-5 ids it addresses, judged on the cluster (`kharden audit --cluster`). */
  clusterControls?: string[];
  activation: Activation;
  operation: FileOperation;
}

export interface ManualItem {
  /** CIS id when the item is a benchmark control. */
  id?: string;
  title: string;
  remediation: string;
}

export interface HardenPlan {
  apiVersion: 'kharden.dev/v1';
  kind: 'HardenPlan';
  node: { role: Role; k3sVersion: string; root: string; hostname: string | null };
  benchmark: { id: string; title: string };
  options: HardenOptions;
  changes: PlannedChange[];
  alreadySet: Array<{ setting: string; source: Source; note?: string }>;
  conflicts: Conflict[];
  manual: ManualItem[];
  /** Controls that pass once k3s has restarted (and generated what the settings ask for) or the kernel parameters are loaded. */
  afterRestart?: ManualItem[];
  restart: { required: boolean; service: 'k3s' | 'k3s-agent'; command: string; reasons: string[] };
  sysctl: { overrides: SysctlOverride[]; runtimeMismatch: Array<{ key: string; wanted: string; value: string }>; runtimeAvailable: boolean };
  notices: string[];
}

export interface PlanInput {
  facts: NodeFacts;
  target: PlanTarget;
  options: HardenOptions;
  /** Display form of the root: `/` for the live node. */
  root: string;
}

/** The paths a plan may write, so that the caller can read their current state first. */
export function pathsToRead(input: PlanInput): string[] {
  const context = planContext(input);
  const { paths } = context;
  const list = [paths.sysctlFile, paths.dropIn];
  if (input.target.role === 'server') {
    list.push(context.admissionConfigPath, context.auditPolicyPath, context.auditLogDir);
    for (const namespace of context.namespaces) list.push(posix.join(paths.manifestsDir, policyFileName(namespace)));
    if (usesPodSecurityPolicy(input.target.minor)) list.push(posix.join(paths.manifestsDir, podSecurityPolicyFileName));
  }
  return list;
}

interface PlanContext {
  paths: TargetPaths;
  user: UserConfig;
  admissionConfigPath: string;
  auditPolicyPath: string;
  auditLogDir: string;
  auditLogFile: string;
  namespaces: string[];
  settings: DesiredSetting[];
}

function planContext(input: PlanInput): PlanContext {
  const { facts, target, options } = input;
  const configFile = facts.k3s.configPath?.value ?? defaultConfigFile;
  const pathInput: { dataDir: string; configFile: string; auditLogDir?: string } = { dataDir: facts.k3s.dataDir, configFile };
  if (options.auditLogDir !== undefined) pathInput.auditLogDir = options.auditLogDir;
  const paths = targetPaths(pathInput);
  const user = userConfig(facts, paths.dropIn);
  // Adopt the user's own files where they already point the API server at one: kharden completes them.
  const userArg = (flag: string): string | null => {
    const values = user.args('kube-apiserver-arg').filter((arg) => arg.flag === flag);
    return values[values.length - 1]?.value ?? null;
  };
  const admissionConfigPath = userArg('admission-control-config-file') ?? paths.admissionConfig;
  const auditPolicyPath = userArg('audit-policy-file') ?? paths.auditPolicy;
  const userLog = userArg('audit-log-path');
  const auditLogFile = userLog !== null && options.auditLogDir === undefined ? userLog : paths.auditLogFile;
  const auditLogDir = posix.dirname(auditLogFile);
  const adopted: TargetPaths = { ...paths, admissionConfig: admissionConfigPath, auditPolicy: auditPolicyPath, auditLogFile, auditLogDir };
  const settings = desiredSettings({
    role: target.role,
    minor: target.minor,
    paths: adopted,
    secretsEncryption: options.secretsEncryption,
    seccompDefault: target.benchmark.seccompDefault,
  });
  const namespaces = [...new Set([...defaultPolicyNamespaces, ...options.netpolNamespaces])];
  return { paths, user, admissionConfigPath, auditPolicyPath, auditLogDir, auditLogFile, namespaces, settings };
}

const root0 = { uid: 0, gid: 0 };

export function buildPlan(input: PlanInput, current: CurrentFiles): HardenPlan {
  const { facts, target, options } = input;
  const context = planContext(input);
  const { paths, user } = context;
  const changes: PlannedChange[] = [];
  const notices: string[] = [];
  const stateOf = (path: string): CurrentFile => current.get(path) ?? { exists: false };
  const server = target.role === 'server';

  // k3s configuration drop-in.
  const resolution = resolveSettings(context.settings, user, paths.dropIn);
  const description = `a k3s ${target.version} ${target.role} (${target.benchmark.title})`;
  const dropInExisting = stateOf(paths.dropIn);
  if (resolution.toWrite.length > 0 || dropInExisting.exists) {
    pushContent(changes, paths.dropIn, dropInExisting, dropInContent(resolution.toWrite, description), 0o600, 'k3s settings of the hardening guide (config.yaml.d drop-in)', 'k3s-restart');
  }
  for (const resolved of resolution.toWrite) {
    if (resolved.extends !== undefined) {
      notices.push(`${describeSetting(resolved.setting)} extends your ${resolved.extends.userValue} (${where(resolved.extends.source)}) instead of replacing it`);
    }
  }

  // Kernel parameters.
  const sysctlExisting = stateOf(paths.sysctlFile);
  pushContent(changes, paths.sysctlFile, sysctlExisting, sysctlFileContent(sysctlExisting.content ?? null), 0o644, 'kernel parameters the kubelet checks (protect-kernel-defaults)', 'boot-or-apply-sysctl');

  const conflicts: Conflict[] = [...resolution.conflicts];
  const apiserverArgWritten = (flag: string): boolean =>
    resolution.toWrite.some((resolved) => 'flag' in resolved.setting && resolved.setting.flag === flag) ||
    resolution.alreadySet.some((set) => 'flag' in set.setting && set.setting.flag === flag);

  if (server) {
    // Admission configuration: PodSecurity (1.25+) and EventRateLimit, in ours or in the user's own file.
    if (apiserverArgWritten('admission-control-config-file')) {
      const enablesEventRateLimit = (value: string): boolean => value.split(',').includes('EventRateLimit');
      const eventRateLimit =
        resolution.toWrite.some((resolved) => 'flag' in resolved.setting && resolved.setting.flag === 'enable-admission-plugins' && enablesEventRateLimit(String(resolved.value))) ||
        user.args('kube-apiserver-arg').some((arg) => arg.flag === 'enable-admission-plugins' && enablesEventRateLimit(arg.value));
      const admissionInput: AdmissionConfigInput = {
        minor: target.minor,
        psaLevel: options.psaLevel,
        exemptNamespaces: options.psaExemptNamespaces,
        podSecurity: !usesPodSecurityPolicy(target.minor),
        eventRateLimit,
      };
      const existing = stateOf(context.admissionConfigPath);
      let content = admissionConfigContent(admissionInput);
      // A file of the user's own is completed in place (comments and order kept); kharden's own is regenerated.
      if (existing.content !== undefined && !isKhardenFile(existing.content)) {
        const merged = mergeAdmissionConfig(existing.content, context.admissionConfigPath, admissionInput);
        content = merged.content;
        for (const conflict of merged.conflicts) {
          conflicts.push({ setting: `${conflict.plugin} admission configuration`, userValue: conflict.detail, source: { kind: 'file-content', path: context.admissionConfigPath }, reason: conflict.detail });
        }
      }
      pushContent(
        changes,
        context.admissionConfigPath,
        existing,
        content,
        0o600,
        'admission configuration: Pod Security defaults and exemptions, EventRateLimit limits',
        'k3s-restart',
        content === admissionConfigContent(admissionInput),
      );
    }

    // Audit policy and log directory.
    if (apiserverArgWritten('audit-policy-file')) {
      const existing = stateOf(context.auditPolicyPath);
      if (!existing.exists) pushContent(changes, context.auditPolicyPath, existing, auditPolicyContent(), 0o600, 'API server audit policy', 'k3s-restart', true);
      else if (existing.content !== undefined) {
        const problems = validateGeneratedYaml(existing.content);
        if (problems.length > 0 && parseOrNull(existing.content) === null) throw inputError(`${context.auditPolicyPath}: not valid YAML; fix or remove it (${problems[0] ?? ''})`);
        if (existing.content !== auditPolicyContent()) notices.push(`${context.auditPolicyPath} exists; kharden keeps your audit policy`);
        if (((existing.mode ?? 0) & ~0o600) !== 0) pushAttributes(changes, context.auditPolicyPath, existing, 0o600, 'audit policy readable by root only', 'immediate');
      }
    }
    if (apiserverArgWritten('audit-log-path') && context.auditLogFile !== '-') {
      const existing = stateOf(context.auditLogDir);
      if (!existing.exists) {
        changes.push({
          path: context.auditLogDir,
          action: 'mkdir',
          what: 'audit log directory, readable by root only',
          diff: null,
          mode: 0o700,
          ...root0,
          before: null,
          controls: [],
          activation: 'immediate',
          operation: { op: 'mkdir', path: context.auditLogDir, mode: 0o700, ...root0 },
        });
      } else if (existing.type !== 'directory') {
        throw inputError(`${context.auditLogDir} exists and is not a directory; the audit log cannot go there (use --audit-log-dir)`);
      } else if (((existing.mode ?? 0) & ~0o700) !== 0) pushAttributes(changes, context.auditLogDir, existing, 0o700, 'audit log directory readable by root only', 'immediate');
    }

    // NetworkPolicies and (<= 1.24) PodSecurityPolicies in the manifests directory.
    if (options.netpol) {
      const components = bundledComponents(user.list('disable').map((item) => item.value));
      for (const namespace of context.namespaces) {
        const policies = namespacePolicies(namespace, components);
        const content = manifestContent(policies.map((policy) => policy.object), `NetworkPolicies for namespace ${namespace}`);
        const path = posix.join(paths.manifestsDir, policyFileName(namespace));
        pushContent(changes, path, stateOf(path), content, 0o600, `NetworkPolicies for ${namespace}: ${policies.map((policy) => policy.purpose).join('; ')}`, 'k3s-manifests', true);
      }
      const disableNetpol = user.scalar('disable-network-policy');
      if (disableNetpol !== null && ['true', '1', 'yes'].includes(disableNetpol.value.toLowerCase())) {
        notices.push(`k3s's network policy controller is disabled (${where(disableNetpol.source)}): the NetworkPolicies are written but only a CNI that enforces them makes them effective`);
      }
    }
    if (usesPodSecurityPolicy(target.minor)) {
      const path = posix.join(paths.manifestsDir, podSecurityPolicyFileName);
      pushContent(changes, path, stateOf(path), manifestContent(podSecurityPolicies(), 'PodSecurityPolicies (k3s 1.24 and older)'), 0o600, 'PodSecurityPolicies and their RBAC', 'k3s-manifests', true);
    }
  }

  // File modes and owners the benchmark asks for.
  for (const change of attributeChanges(facts.files, target.role, { dataDir: facts.k3s.dataDir, certMode: target.benchmark.certMode, clientCaMode: target.benchmark.clientCaMode })) {
    const modeChanged = change.fromMode !== change.toMode;
    const ownerChanged = change.fromOwner.uid !== change.toOwner.uid || change.fromOwner.gid !== change.toOwner.gid;
    changes.push({
      path: change.path,
      action: modeChanged && ownerChanged ? 'chmod+chown' : modeChanged ? 'chmod' : 'chown',
      what: `${change.what}: ${modeChanged ? `mode ${octal(change.fromMode)} -> ${octal(change.toMode)}` : ''}${modeChanged && ownerChanged ? ', ' : ''}${ownerChanged ? `owner ${change.fromOwner.uid}:${change.fromOwner.gid} -> ${change.toOwner.uid}:${change.toOwner.gid}` : ''}`,
      diff: null,
      mode: change.toMode,
      uid: change.toOwner.uid,
      gid: change.toOwner.gid,
      before: { mode: change.fromMode, ...change.fromOwner },
      controls: [],
      activation: 'immediate',
      operation: { op: 'attributes', path: change.path, mode: change.toMode, ...change.toOwner },
    });
  }

  const runtime = facts.sysctl.runtime;
  const runtimeMismatch = kubeletKernelParameters.flatMap((param) => {
    const value = runtime.values[param.name];
    if (value === undefined || !('value' in value) || value.value.trim() === param.expected) return [];
    return [{ key: param.name, wanted: param.expected, value: value.value.trim() }];
  });
  const service = server ? 'k3s' : 'k3s-agent';
  const restartReasons = changes.filter((change) => change.activation === 'k3s-restart').map((change) => change.path);
  return {
    apiVersion: 'kharden.dev/v1',
    kind: 'HardenPlan',
    node: { role: target.role, k3sVersion: target.version, root: input.root, hostname: facts.hostname },
    benchmark: { id: target.benchmark.id, title: target.benchmark.title },
    options,
    changes,
    alreadySet: resolution.alreadySet.map((set) => ({ setting: describeSetting(set.setting), source: set.source, ...(set.note === undefined ? {} : { note: set.note }) })),
    conflicts,
    manual: [],
    restart: { required: restartReasons.length > 0, service, command: restartCommand(facts, service), reasons: restartReasons },
    sysctl: { overrides: laterBootOverrides(facts.sysctl.boot), runtimeMismatch, runtimeAvailable: runtime.available },
    notices,
  };
}

function pushContent(
  changes: PlannedChange[],
  path: string,
  existing: CurrentFile,
  content: string,
  mode: number,
  what: string,
  activation: Activation,
  validate = false,
): void {
  if (existing.exists && existing.type !== 'file') throw inputError(`${path} exists and is not a regular file; kharden cannot write it`);
  // Every Kubernetes object kharden generates must validate (a user's file it completes keeps its own content).
  if (validate) {
    const problems = validateGeneratedYaml(content);
    if (problems.length > 0) throw new Error(`kharden generated an invalid ${path}: ${problems.join('; ')}`);
  }
  const same = existing.content === content;
  const attributesOk = existing.exists && (existing.mode ?? 0) === mode && existing.uid === 0 && existing.gid === 0;
  if (same && attributesOk) return;
  if (same) {
    pushAttributes(changes, path, existing, mode, what, 'immediate');
    return;
  }
  changes.push({
    path,
    action: existing.exists ? 'modify' : 'create',
    what,
    diff: unifiedDiff(existing.exists ? (existing.content ?? '') : null, content, { fromName: `a${path}`, toName: `b${path}` }),
    mode,
    ...root0,
    before: existing.exists ? { mode: existing.mode ?? 0, uid: existing.uid ?? 0, gid: existing.gid ?? 0 } : null,
    controls: [],
    activation,
    operation: {
      op: 'write',
      path,
      content,
      mode,
      ...root0,
      expect: existing.exists ? { exists: true, sha256: existing.sha256 ?? null } : { exists: false },
    },
  });
}

function pushAttributes(changes: PlannedChange[], path: string, existing: CurrentFile, maxMode: number, what: string, activation: Activation): void {
  const fromMode = existing.mode ?? 0;
  const mode = existing.type === 'directory' || existing.content !== undefined ? maxMode : fromMode & maxMode;
  const ownerChanged = existing.uid !== 0 || existing.gid !== 0;
  const modeChanged = fromMode !== mode;
  if (!ownerChanged && !modeChanged) return;
  changes.push({
    path,
    action: modeChanged && ownerChanged ? 'chmod+chown' : modeChanged ? 'chmod' : 'chown',
    what,
    diff: null,
    mode,
    ...root0,
    before: { mode: fromMode, uid: existing.uid ?? 0, gid: existing.gid ?? 0 },
    controls: [],
    activation,
    operation: { op: 'attributes', path, mode, ...root0 },
  });
}

function manifestContent(objects: readonly object[], title: string): string {
  const header = `# ${title}, written by kharden harden. k3s applies this directory's manifests when it starts and when they change.\n`;
  return header + objects.map((object) => new Document(object).toString({ lineWidth: 0 })).join('---\n');
}

function isKhardenFile(content: string): boolean {
  return content.includes('written by kharden harden');
}

function parseOrNull(content: string): unknown {
  try {
    return parseYaml(content) as unknown;
  } catch {
    return null;
  }
}

function where(source: Source): string {
  return source.path === undefined ? source.kind : source.line === undefined ? source.path : `${source.path}:${source.line}`;
}

/** OpenRC nodes (Alpine and friends) run k3s from /etc/init.d; everything else from systemd. */
export function restartCommand(facts: NodeFacts, service: 'k3s' | 'k3s-agent'): string {
  return facts.k3s.service?.source.path?.startsWith('/etc/init.d/') === true ? `rc-service ${service} restart` : `systemctl restart ${service}`;
}

export function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}
