import { allowed, forbidden, type CheckDefinition, type CheckResult } from './check.ts';
import { joinQuote, pluralize, sortedSet } from './message-format.ts';
import type { Container, PodLike } from './pod-spec.ts';
import { visitContainers } from './visit-containers.ts';

type HostHandler = Container['livenessProbe'];

function hostsOf(handler: HostHandler, into: string[]): void {
  if (handler == null) return;
  const httpHost = handler.httpGet?.host;
  if (httpHost != null && httpHost !== '') into.push(httpHost);
  const tcpHost = handler.tcpSocket?.host;
  if (tcpHost != null && tcpHost !== '') into.push(tcpHost);
}

/** From policy v1.34: probes and lifecycle hooks must not name a host (they would reach other hosts from the kubelet). */
export function hostProbesAndHostLifecycleV1Dot34({ spec }: PodLike): CheckResult {
  const badContainers: string[] = [];
  const hosts: string[] = [];
  visitContainers(spec, (container) => {
    const found: string[] = [];
    hostsOf(container.livenessProbe, found);
    hostsOf(container.readinessProbe, found);
    hostsOf(container.startupProbe, found);
    hostsOf(container.lifecycle?.postStart, found);
    hostsOf(container.lifecycle?.preStop, found);
    if (found.length > 0) {
      badContainers.push(container.name);
      hosts.push(...found);
    }
  });
  if (badContainers.length === 0) return allowed;
  // The only check that sorts (and de-duplicates) container names.
  const names = sortedSet(badContainers);
  const unique = sortedSet(hosts);
  return forbidden(
    'probe or lifecycle host',
    `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', unique.length)} ${joinQuote(unique)}`,
  );
}

export const hostProbesAndHostLifecycleCheck: CheckDefinition = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  title: 'Probes / Lifecycle Hooks',
  versions: [{ minimumVersion: 34, checkPod: hostProbesAndHostLifecycleV1Dot34 }],
};
