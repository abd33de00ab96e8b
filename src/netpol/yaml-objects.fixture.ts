import { type ManifestSet, parseManifestText } from '../collect/manifests.ts';
import type { SourcedObject } from '../facts/kube-object.ts';

/** Objects from a YAML text, through the same loader the CLI uses. */
export function yamlObjects(text: string, file = 'test.yaml'): SourcedObject[] {
  const set: ManifestSet = { objects: [], problems: [], files: [] };
  parseManifestText(text, file, set);
  if (set.problems.length > 0) throw new Error(set.problems.map((problem) => problem.message).join('; '));
  return set.objects;
}

/** A namespace with a labelled pod: `pod('web', 'api', {app: 'api'}, '10.42.0.5', [[8080, 'http']])`. */
export function podYaml(namespace: string, name: string, labels: Record<string, string>, ip?: string, ports: Array<[number, string?, string?]> = []): string {
  const portLines = ports
    .map(([port, portName, protocol]) => `      - containerPort: ${port}${portName === undefined ? '' : `\n        name: ${portName}`}${protocol === undefined ? '' : `\n        protocol: ${protocol}`}`)
    .join('\n');
  return `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: ${JSON.stringify(labels)}
spec:
  containers:
  - name: c
    ports:
${portLines === '' ? '      []' : portLines}
${ip === undefined ? '' : `status:\n  podIP: ${ip}\n`}`;
}

export function namespaceYaml(name: string, labels: Record<string, string> = {}): string {
  return `---
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: ${JSON.stringify(labels)}
`;
}
