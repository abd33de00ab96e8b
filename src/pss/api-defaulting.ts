import { volumeSourceKeys, type Container, type PodLike, type PodSecurityContext, type Volume } from './pod-spec.ts';

/**
 * The API server defaults an object before admission sees it. Three changes alter Pod Security
 * verdicts or messages, so offline evaluation applies them first:
 * - SetDefaults_Volume: a volume naming no source becomes `emptyDir: {}` (pods and templates);
 * - SetDefaults_Pod: with `hostNetwork: true`, every container and init container port without a
 *   hostPort gets `hostPort = containerPort` (Pods only: templates are not defaulted this way, so a
 *   Deployment draws fewer warnings than the Pods it creates are rejected for);
 * - the pod strategy's AppArmor version skew (Kubernetes 1.30+, Pods only, not Windows pods): a
 *   container's beta annotation is copied into its `appArmorProfile` field when the field is unset, and a
 *   container without annotation gets one from its (or the pod's) field. A Pod annotated `unconfined` is
 *   therefore rejected for the container field and the annotation together.
 * Returns the input itself when nothing changes; never mutates it.
 */
export function applyApiDefaults(pod: PodLike, options: { isPod: boolean }): PodLike {
  if (options.isPod) pod = syncAppArmor(pod);
  let spec = pod.spec;
  const volumes = spec.volumes;
  if (volumes != null && volumes.some(hasNoSource)) {
    spec = { ...spec, volumes: volumes.map((volume) => (hasNoSource(volume) ? { ...volume, emptyDir: {} } : volume)) };
  }
  if (options.isPod && spec.hostNetwork === true) {
    const containers = defaultHostPorts(spec.containers);
    const initContainers = defaultHostPorts(spec.initContainers);
    if (containers !== spec.containers || initContainers !== spec.initContainers) {
      spec = { ...spec, containers, initContainers };
    }
  }
  return spec === pod.spec ? pod : { metadata: pod.metadata, spec };
}

const appArmorAnnotationPrefix = 'container.apparmor.security.beta.kubernetes.io/';

type AppArmorProfile = NonNullable<PodSecurityContext['appArmorProfile']>;

function annotationForField(profile: AppArmorProfile): string {
  switch (profile.type) {
    case 'Unconfined':
      return 'unconfined';
    case 'RuntimeDefault':
      return 'runtime/default';
    case 'Localhost':
      return profile.localhostProfile != null ? `localhost/${profile.localhostProfile}` : '';
    default:
      return '';
  }
}

function fieldForAnnotation(annotation: string): AppArmorProfile | null {
  if (annotation === 'unconfined') return { type: 'Unconfined' };
  if (annotation === 'runtime/default') return { type: 'RuntimeDefault' };
  if (annotation.startsWith('localhost/')) {
    const localhostProfile = annotation.slice('localhost/'.length);
    // Field validation rejects an empty or blank profile name; such values are not copied.
    if (localhostProfile.trim() !== '' && localhostProfile.length <= 4095) return { type: 'Localhost', localhostProfile };
  }
  return null;
}

function sameProfile(a: AppArmorProfile, b: AppArmorProfile | null | undefined): boolean {
  return b != null && (a.type ?? '') === (b.type ?? '') && (a.localhostProfile ?? null) === (b.localhostProfile ?? null);
}

/** applyAppArmorVersionSkew (pkg/registry/core/pod/strategy.go), on a copy. */
function syncAppArmor(pod: PodLike): PodLike {
  const { spec } = pod;
  if (spec.os?.name === 'windows') return pod;
  const podProfile = spec.securityContext?.appArmorProfile;
  const original = pod.metadata.annotations ?? {};
  let annotations: Record<string, string> | null = null;
  let changedContainers = false;
  const sync = (containers: Container[] | null | undefined): Container[] | null | undefined => {
    if (containers == null) return containers;
    let changed = false;
    const synced = containers.map((container) => {
      const key = appArmorAnnotationPrefix + container.name;
      const containerProfile = container.securityContext?.appArmorProfile;
      const annotation = (annotations ?? original)[key];
      if (annotation === undefined) {
        const value = containerProfile != null ? annotationForField(containerProfile) : podProfile != null ? annotationForField(podProfile) : '';
        if (value !== '') {
          annotations ??= { ...original };
          annotations[key] = value;
        }
        return container;
      }
      if (containerProfile != null) return container;
      const field = fieldForAnnotation(annotation);
      if (field === null || sameProfile(field, podProfile)) return container;
      changed = true;
      return { ...container, securityContext: { ...container.securityContext, appArmorProfile: field } };
    });
    if (!changed) return containers;
    changedContainers = true;
    return synced;
  };
  const initContainers = sync(spec.initContainers);
  const containers = sync(spec.containers);
  const ephemeralContainers = sync(spec.ephemeralContainers);
  if (annotations === null && !changedContainers) return pod;
  return {
    metadata: annotations === null ? pod.metadata : { ...pod.metadata, annotations },
    spec: changedContainers ? { ...spec, initContainers, containers, ephemeralContainers } : spec,
  };
}

function hasNoSource(volume: Volume): boolean {
  for (const key of volumeSourceKeys) if (volume[key] != null) return false;
  return true;
}

function needsHostPort(container: Container): boolean {
  return (container.ports ?? []).some((port) => (port.hostPort ?? 0) === 0 && (port.containerPort ?? 0) !== 0);
}

function defaultHostPorts(containers: Container[] | null | undefined): Container[] | null | undefined {
  if (containers == null || !containers.some(needsHostPort)) return containers;
  return containers.map((container) =>
    needsHostPort(container)
      ? {
          ...container,
          ports: (container.ports ?? []).map((port) =>
            (port.hostPort ?? 0) === 0 ? { ...port, hostPort: port.containerPort ?? 0 } : port,
          ),
        }
      : container,
  );
}
