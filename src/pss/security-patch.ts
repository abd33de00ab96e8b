import type { CheckId } from './check.ts';
import { baselineCapabilities } from './check-capabilities-baseline.ts';
import { seccompContainerAnnotationPrefix, seccompPodAnnotation, validSeccompType } from './check-seccomp-profile-baseline.ts';
import { allowedVolumeSources } from './check-restricted-volumes.ts';
import { allowedSysctls } from './check-sysctls.ts';
import { applyApiDefaults } from './api-defaulting.ts';
import { evaluatePodSecurity, type EvaluateOptions } from './evaluate.ts';
import type { LevelVersion } from './level-version.ts';
import { parsePodMetadata, parsePodSpec, volumeSourceKeys, type Container, type PodLike, type Volume } from './pod-spec.ts';
import { applyStrategicMerge, type JsonObject, type JsonValue } from './strategic-merge.ts';
import type { PodSecurityKind } from './workload.ts';

/**
 * The smallest change to a workload that makes its pods pass a Pod Security level: a strategic merge
 * patch (`kubectl patch --type strategic`) that sets only the fields the failing checks read, mostly
 * securityContext. Volume types cannot be fixed by a patch; those become manual actions. The patch is
 * verified by applying it and evaluating again.
 */
export interface SecurityPatch {
  /** A strategic merge patch for the object as a whole (for a Deployment it is under spec.template). */
  patch: JsonObject;
  /** Failing checks the patch resolves. */
  resolves: CheckId[];
  /** What the patch cannot do, one sentence each. */
  manual: string[];
  /** Side effects the operator must know before applying it. */
  notes: string[];
  /** Checks still failing after the patch (those needing manual action; anything else is a kharden bug). */
  remaining: CheckId[];
}

type ContainerList = 'initContainers' | 'containers';

class PodPatch {
  readonly annotations: Record<string, string> = {};
  readonly spec: JsonObject = {};
  readonly podSecurityContext: JsonObject = {};
  readonly containers = new Map<ContainerList, Map<string, JsonObject>>();
  readonly manual: string[] = [];
  readonly notes: string[] = [];

  container(list: ContainerList, name: string): JsonObject {
    let byName = this.containers.get(list);
    if (byName === undefined) {
      byName = new Map();
      this.containers.set(list, byName);
    }
    let entry = byName.get(name);
    if (entry === undefined) {
      entry = { name };
      byName.set(name, entry);
    }
    return entry;
  }

  containerSecurityContext(list: ContainerList, name: string): JsonObject {
    const entry = this.container(list, name);
    const existing = entry.securityContext;
    if (existing !== undefined && existing !== null && typeof existing === 'object' && !Array.isArray(existing)) return existing;
    const created: JsonObject = {};
    entry.securityContext = created;
    return created;
  }

  /** The patch of the pod template: `{metadata: {annotations}, spec: {...}}`. */
  toTemplatePatch(): JsonObject {
    const spec: JsonObject = { ...this.spec };
    if (Object.keys(this.podSecurityContext).length > 0) spec.securityContext = this.podSecurityContext;
    for (const list of ['initContainers', 'containers'] as const) {
      const entries = this.containers.get(list);
      if (entries !== undefined && entries.size > 0) spec[list] = [...entries.values()];
    }
    const template: JsonObject = {};
    if (Object.keys(this.annotations).length > 0) template.metadata = { annotations: this.annotations };
    if (Object.keys(spec).length > 0) template.spec = spec;
    return template;
  }
}

interface FixContext {
  pod: PodLike;
  version: number;
  patch: PodPatch;
}

/** Each editable container with the list it is in; ephemeral containers cannot be patched. */
function* editableContainers(pod: PodLike): Generator<[ContainerList, Container]> {
  for (const container of pod.spec.initContainers ?? []) yield ['initContainers', container];
  for (const container of pod.spec.containers ?? []) yield ['containers', container];
}

function ephemeralMatching(ctx: FixContext, predicate: (container: Container) => boolean, what: string): void {
  const names = (ctx.pod.spec.ephemeralContainers ?? []).filter(predicate).map((container) => `"${container.name}"`);
  if (names.length > 0) ctx.patch.manual.push(`ephemeral container${names.length === 1 ? '' : 's'} ${names.join(', ')}: ${what} (ephemeral containers cannot be patched; remove them from the pod)`);
}

const fixes: Record<CheckId, (ctx: FixContext) => void> = {
  privileged(ctx) {
    for (const [list, container] of editableContainers(ctx.pod)) {
      if (container.securityContext?.privileged === true) ctx.patch.containerSecurityContext(list, container.name).privileged = false;
    }
    ephemeralMatching(ctx, (container) => container.securityContext?.privileged === true, 'set privileged: false');
  },
  allowPrivilegeEscalation(ctx) {
    for (const [list, container] of editableContainers(ctx.pod)) {
      if (container.securityContext?.allowPrivilegeEscalation !== false) ctx.patch.containerSecurityContext(list, container.name).allowPrivilegeEscalation = false;
    }
    ephemeralMatching(ctx, (container) => container.securityContext?.allowPrivilegeEscalation !== false, 'set allowPrivilegeEscalation: false');
  },
  capabilities_restricted(ctx) {
    for (const [list, container] of editableContainers(ctx.pod)) {
      const capabilities = container.securityContext?.capabilities;
      const drop = capabilities?.drop ?? [];
      const add = capabilities?.add ?? [];
      const keep = add.filter((capability) => capability === 'NET_BIND_SERVICE');
      const change: JsonObject = {};
      // Both lists are atomic in a strategic merge: the patch carries the whole new list.
      if (!drop.includes('ALL')) change.drop = [...drop, 'ALL'];
      if (keep.length !== add.length) change.add = keep.length > 0 ? keep : null;
      if (Object.keys(change).length > 0) ctx.patch.containerSecurityContext(list, container.name).capabilities = change;
    }
    ephemeralMatching(ctx, (container) => !(container.securityContext?.capabilities?.drop ?? []).includes('ALL'), 'drop ALL capabilities');
  },
  capabilities_baseline(ctx) {
    for (const [list, container] of editableContainers(ctx.pod)) {
      const add = container.securityContext?.capabilities?.add ?? [];
      const keep = add.filter((capability) => baselineCapabilities.has(capability));
      if (keep.length !== add.length) ctx.patch.containerSecurityContext(list, container.name).capabilities = { add: keep.length > 0 ? keep : null };
    }
    ephemeralMatching(ctx, (container) => (container.securityContext?.capabilities?.add ?? []).some((capability) => !baselineCapabilities.has(capability)), 'remove non-default capabilities');
  },
  runAsNonRoot(ctx) {
    const podValue = ctx.pod.spec.securityContext?.runAsNonRoot;
    let anyUnset = false;
    for (const [list, container] of editableContainers(ctx.pod)) {
      const value = container.securityContext?.runAsNonRoot;
      if (value === false) ctx.patch.containerSecurityContext(list, container.name).runAsNonRoot = true;
      if (value == null) anyUnset = true;
    }
    for (const container of ctx.pod.spec.ephemeralContainers ?? []) if (container.securityContext?.runAsNonRoot == null) anyUnset = true;
    ephemeralMatching(ctx, (container) => container.securityContext?.runAsNonRoot === false, 'set runAsNonRoot: true');
    if (podValue === false || (podValue == null && anyUnset)) ctx.patch.podSecurityContext.runAsNonRoot = true;
    ctx.patch.notes.push(
      'runAsNonRoot: true makes the kubelet refuse to start a container whose image runs as root; if an image has no non-root USER, also set runAsUser to a non-zero UID',
    );
  },
  runAsUser(ctx) {
    if (ctx.pod.spec.securityContext?.runAsUser === 0) ctx.patch.podSecurityContext.runAsUser = null;
    for (const [list, container] of editableContainers(ctx.pod)) {
      if (container.securityContext?.runAsUser === 0) ctx.patch.containerSecurityContext(list, container.name).runAsUser = null;
    }
    ephemeralMatching(ctx, (container) => container.securityContext?.runAsUser === 0, 'remove runAsUser: 0');
    ctx.patch.notes.push('runAsUser: 0 is removed; the container then runs as its image user, which must not be root (or set a non-zero runAsUser)');
  },
  seccompProfile_restricted(ctx) {
    const podProfile = ctx.pod.spec.securityContext?.seccompProfile;
    const podValid = podProfile != null && validSeccompType(podProfile.type);
    let unsetContainers = false;
    for (const [list, container] of editableContainers(ctx.pod)) {
      const profile = container.securityContext?.seccompProfile;
      if (profile != null && !validSeccompType(profile.type)) ctx.patch.containerSecurityContext(list, container.name).seccompProfile = { type: 'RuntimeDefault' };
      if (profile == null) unsetContainers = true;
    }
    for (const container of ctx.pod.spec.ephemeralContainers ?? []) if (container.securityContext?.seccompProfile == null) unsetContainers = true;
    ephemeralMatching(ctx, (container) => container.securityContext?.seccompProfile != null && !validSeccompType(container.securityContext.seccompProfile.type), 'set seccompProfile type RuntimeDefault');
    if ((podProfile != null && !podValid) || (!podValid && unsetContainers)) ctx.patch.podSecurityContext.seccompProfile = { type: 'RuntimeDefault' };
  },
  seccompProfile_baseline(ctx) {
    if (ctx.version < 19) {
      const annotations = ctx.pod.metadata.annotations ?? {};
      const valid = (value: string) => value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
      const podValue = annotations[seccompPodAnnotation];
      if (podValue !== undefined && !valid(podValue)) ctx.patch.annotations[seccompPodAnnotation] = 'runtime/default';
      for (const container of [...(ctx.pod.spec.initContainers ?? []), ...(ctx.pod.spec.containers ?? []), ...(ctx.pod.spec.ephemeralContainers ?? [])]) {
        const key = seccompContainerAnnotationPrefix + container.name;
        const value = annotations[key];
        if (value !== undefined && !valid(value)) ctx.patch.annotations[key] = 'runtime/default';
      }
      return;
    }
    const podProfile = ctx.pod.spec.securityContext?.seccompProfile;
    if (podProfile != null && !validSeccompType(podProfile.type)) ctx.patch.podSecurityContext.seccompProfile = { type: 'RuntimeDefault' };
    for (const [list, container] of editableContainers(ctx.pod)) {
      const profile = container.securityContext?.seccompProfile;
      if (profile != null && !validSeccompType(profile.type)) ctx.patch.containerSecurityContext(list, container.name).seccompProfile = { type: 'RuntimeDefault' };
    }
    ephemeralMatching(ctx, (container) => container.securityContext?.seccompProfile != null && !validSeccompType(container.securityContext.seccompProfile.type), 'set seccompProfile type RuntimeDefault');
  },
  appArmorProfile(ctx) {
    const validType = (type: string | null | undefined) => type === 'RuntimeDefault' || type === 'Localhost';
    const podProfile = ctx.pod.spec.securityContext?.appArmorProfile;
    if (podProfile != null && !validType(podProfile.type)) ctx.patch.podSecurityContext.appArmorProfile = { type: 'RuntimeDefault' };
    for (const [list, container] of editableContainers(ctx.pod)) {
      const profile = container.securityContext?.appArmorProfile;
      if (profile != null && !validType(profile.type)) ctx.patch.containerSecurityContext(list, container.name).appArmorProfile = { type: 'RuntimeDefault' };
    }
    ephemeralMatching(ctx, (container) => container.securityContext?.appArmorProfile != null && !validType(container.securityContext.appArmorProfile.type), 'set appArmorProfile type RuntimeDefault');
    for (const [key, value] of Object.entries(ctx.pod.metadata.annotations ?? {})) {
      if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && !(value === '' || value === 'runtime/default' || value.startsWith('localhost/'))) {
        ctx.patch.annotations[key] = 'runtime/default';
      }
    }
  },
  seLinuxOptions(ctx) {
    const allowedTypes = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', ...(ctx.version >= 31 ? ['container_engine_t'] : [])]);
    const fix = (options: { type?: string | null | undefined; user?: string | null | undefined; role?: string | null | undefined } | null | undefined): JsonObject | null => {
      if (options == null) return null;
      const change: JsonObject = {};
      if (!allowedTypes.has(options.type ?? '')) change.type = null;
      if ((options.user ?? '') !== '') change.user = null;
      if ((options.role ?? '') !== '') change.role = null;
      return Object.keys(change).length > 0 ? change : null;
    };
    const podChange = fix(ctx.pod.spec.securityContext?.seLinuxOptions);
    if (podChange !== null) ctx.patch.podSecurityContext.seLinuxOptions = podChange;
    for (const [list, container] of editableContainers(ctx.pod)) {
      const change = fix(container.securityContext?.seLinuxOptions);
      if (change !== null) ctx.patch.containerSecurityContext(list, container.name).seLinuxOptions = change;
    }
    ephemeralMatching(ctx, (container) => fix(container.securityContext?.seLinuxOptions) !== null, 'remove the forbidden seLinuxOptions');
  },
  procMount(ctx) {
    fixProcMount(ctx);
  },
  procMount_restricted(ctx) {
    fixProcMount(ctx);
  },
  windowsHostProcess(ctx) {
    if (ctx.pod.spec.securityContext?.windowsOptions?.hostProcess === true) ctx.patch.podSecurityContext.windowsOptions = { hostProcess: false };
    for (const [list, container] of editableContainers(ctx.pod)) {
      if (container.securityContext?.windowsOptions?.hostProcess === true) ctx.patch.containerSecurityContext(list, container.name).windowsOptions = { hostProcess: false };
    }
    ephemeralMatching(ctx, (container) => container.securityContext?.windowsOptions?.hostProcess === true, 'set hostProcess: false');
  },
  sysctls(ctx) {
    const allowedNames = allowedSysctls(ctx.version);
    const sysctls = ctx.pod.spec.securityContext?.sysctls ?? [];
    const keep = sysctls.filter((sysctl) => allowedNames.has(sysctl.name));
    // The sysctls list is atomic: the patch carries the list without the forbidden names.
    ctx.patch.podSecurityContext.sysctls = keep.length > 0 ? keep.map((sysctl) => ({ name: sysctl.name, value: sysctl.value ?? '' })) : null;
  },
  hostNamespaces(ctx) {
    if (ctx.pod.spec.hostNetwork === true) ctx.patch.spec.hostNetwork = false;
    if (ctx.pod.spec.hostPID === true) ctx.patch.spec.hostPID = false;
    if (ctx.pod.spec.hostIPC === true) ctx.patch.spec.hostIPC = false;
  },
  hostPorts(ctx) {
    for (const [list, container] of editableContainers(ctx.pod)) {
      const ports = (container.ports ?? []).filter((port) => port.hostPort != null && port.hostPort !== 0);
      if (ports.length === 0) continue;
      ctx.patch.container(list, container.name).ports = ports.map((port) => {
        const entry: JsonObject = { containerPort: port.containerPort ?? 0, hostPort: null };
        if (port.protocol != null) entry.protocol = port.protocol;
        return entry;
      });
    }
    ephemeralMatching(ctx, (container) => (container.ports ?? []).some((port) => (port.hostPort ?? 0) !== 0), 'remove hostPort');
  },
  hostProbesAndHostLifecycle(ctx) {
    for (const [list, container] of editableContainers(ctx.pod)) {
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        const change = hostlessHandler(container[probe]);
        if (change !== null) ctx.patch.container(list, container.name)[probe] = change;
      }
      const lifecycle: JsonObject = {};
      for (const hook of ['postStart', 'preStop'] as const) {
        const change = hostlessHandler(container.lifecycle?.[hook]);
        if (change !== null) lifecycle[hook] = change;
      }
      if (Object.keys(lifecycle).length > 0) ctx.patch.container(list, container.name).lifecycle = lifecycle;
    }
  },
  hostPathVolumes(ctx) {
    const names = (ctx.pod.spec.volumes ?? []).filter((volume) => volume.hostPath != null).map((volume) => `"${volume.name}"`);
    ctx.patch.manual.push(`replace hostPath volume${names.length === 1 ? '' : 's'} ${names.join(', ')} (no patch can do this safely: the workload reads or writes the node's files)`);
  },
  restrictedVolumes(ctx) {
    const bad = (ctx.pod.spec.volumes ?? []).filter((volume) => !allowedVolumeSources.some((key) => volume[key] != null));
    const described = bad.map((volume) => `"${volume.name}" (${sourceOf(volume)})`);
    ctx.patch.manual.push(
      `replace volume${bad.length === 1 ? '' : 's'} ${described.join(', ')} with an allowed type: ${allowedVolumeSources.join(', ')}`,
    );
  },
};

function sourceOf(volume: Volume): string {
  return volumeSourceKeys.find((key) => volume[key] != null) ?? 'no source';
}

function fixProcMount(ctx: FixContext): void {
  for (const [list, container] of editableContainers(ctx.pod)) {
    const procMount = container.securityContext?.procMount;
    if (procMount != null && procMount !== 'Default') ctx.patch.containerSecurityContext(list, container.name).procMount = 'Default';
  }
  ephemeralMatching(ctx, (container) => (container.securityContext?.procMount ?? 'Default') !== 'Default', 'set procMount: Default');
}

function hostlessHandler(handler: Container['livenessProbe']): JsonObject | null {
  if (handler == null) return null;
  const change: JsonObject = {};
  if ((handler.httpGet?.host ?? '') !== '') change.httpGet = { host: null };
  if ((handler.tcpSocket?.host ?? '') !== '') change.tcpSocket = { host: null };
  return Object.keys(change).length > 0 ? change : null;
}

/** Wraps a pod-template patch at the place the object keeps its template. */
export function wrapTemplatePatch(kind: PodSecurityKind, template: JsonObject): JsonObject {
  switch (kind) {
    case 'Pod':
      return template;
    case 'PodTemplate':
      return { template };
    case 'CronJob':
      return { spec: { jobTemplate: { spec: { template } } } };
    default:
      return { spec: { template } };
  }
}

/**
 * Builds the patch for the checks that failed, applies it to the pod as submitted, and evaluates again
 * (with the API server's defaulting for a Pod) to report what still fails.
 */
export function securityPatch(
  pod: PodLike,
  kind: PodSecurityKind,
  failed: readonly CheckId[],
  levelVersion: LevelVersion,
  evaluatedVersion: number,
  options: EvaluateOptions = {},
): SecurityPatch {
  const patch = new PodPatch();
  const ctx: FixContext = { pod, version: evaluatedVersion, patch };
  for (const id of failed) fixes[id](ctx);
  const template = patch.toTemplatePatch();

  const patchedSpec = parsePodSpec(applyStrategicMerge(pod.spec as JsonValue, (template.spec ?? {}) as JsonValue));
  const patchedMetadata = parsePodMetadata(applyStrategicMerge(pod.metadata as JsonValue, (template.metadata ?? {}) as JsonValue));
  let remaining: CheckId[] = [...failed];
  if (patchedSpec.ok && patchedMetadata.ok) {
    // The API server defaults the pods a controller creates as Pods (hostNetwork → hostPort).
    const patched = applyApiDefaults({ metadata: patchedMetadata.metadata, spec: patchedSpec.spec }, { isPod: true });
    remaining = evaluatePodSecurity(patched, levelVersion, options).failed.map((check) => check.id);
  }
  return {
    patch: wrapTemplatePatch(kind, template),
    resolves: failed.filter((id) => !remaining.includes(id)),
    manual: patch.manual,
    notes: [...new Set(patch.notes)],
    remaining,
  };
}
