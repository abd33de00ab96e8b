import { volumeSourceKeys, type Container, type PodLike, type Volume } from './pod-spec.ts';

/**
 * The API server defaults an object before admission sees it (pkg/apis/core/v1/defaults.go). Two
 * defaults change Pod Security verdicts, so offline evaluation applies them first:
 * - SetDefaults_Volume: a volume naming no source becomes `emptyDir: {}` (pods and templates);
 * - SetDefaults_Pod: with `hostNetwork: true`, every container and init container port without a
 *   hostPort gets `hostPort = containerPort` (Pods only: templates are not defaulted this way, so a
 *   Deployment draws fewer warnings than the Pods it creates are rejected for).
 * Returns the input itself when nothing changes; never mutates it.
 */
export function applyApiDefaults(pod: PodLike, options: { isPod: boolean }): PodLike {
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
