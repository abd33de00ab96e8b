import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject, SourcedObject } from '../facts/kube-object.ts';

/**
 * The upstream e2e NetworkPolicy cases (test/conformance/netpol/e2e/*.json) turned into the Kubernetes
 * objects kharden reads: Namespaces, Pods with their IP and container ports, and the policies as authored.
 */
export interface ConformanceCase {
  name: string;
  namespaces: Array<{ name: string; labels: Record<string, string> }>;
  pods: Array<{
    namespace: string;
    name: string;
    labels: Record<string, string>;
    ip: string;
    ports: Array<{ name: string; port: number; protocol: string }>;
  }>;
  policies: KubeObject[];
  probes: Array<{ from: string; to: string; port: number; protocol: string; expect: boolean }>;
}

export const conformanceDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/conformance/netpol/e2e');

export function loadConformanceCases(): ConformanceCase[] {
  return readdirSync(conformanceDirectory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(conformanceDirectory, name), 'utf8')) as ConformanceCase);
}

export function caseObjects(testCase: ConformanceCase): SourcedObject[] {
  const file = `${testCase.name}.json`;
  const objects: KubeObject[] = [
    ...testCase.namespaces.map(
      (namespace): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace.name, labels: namespace.labels } }),
    ),
    ...testCase.pods.map(
      (pod): KubeObject => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels },
        spec: {
          containers: pod.ports.map((port) => ({
            name: `cont-${port.port}-${port.protocol.toLowerCase()}`,
            ports: [{ name: port.name, containerPort: port.port, protocol: port.protocol }],
          })),
        },
        status: { phase: 'Running', podIP: pod.ip, podIPs: [{ ip: pod.ip }] },
      }),
    ),
    ...testCase.policies,
  ];
  return objects.map((object, index) => ({ object, origin: { kind: 'file', path: file, document: index, line: 1 } }));
}
