import { describe, expect, it } from 'vitest';
import { type ManifestSet, parseManifestText } from './manifests.ts';

function parse(text: string): ManifestSet {
  const set: ManifestSet = { objects: [], problems: [], files: [] };
  parseManifestText(text, 'm.yaml', set);
  return set;
}

describe('parseManifestText', () => {
  it('reads multi-document YAML with Helm source comments and empty documents', () => {
    const set = parse(`---
# Source: chart/templates/ns.yaml
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a}
`);
    expect(set.objects.map((o) => [o.object.kind, o.origin.kind === 'file' ? o.origin.document : -1])).toEqual([
      ['Namespace', 0],
      ['Pod', 2],
    ]);
    expect(set.problems).toEqual([]);
  });

  it('unwraps List kinds and keeps the item index', () => {
    const set = parse(`apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: a}}
- {apiVersion: v1, kind: Namespace, metadata: {name: b}}
`);
    expect(set.objects.map((o) => o.object.metadata.name)).toEqual(['a', 'b']);
    expect(set.objects[1]?.origin).toMatchObject({ item: 1 });
  });

  it('reports a document that is not Kubernetes with its index and keeps the others', () => {
    const set = parse(`foo: bar
---
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
key: [unclosed
`);
    expect(set.objects).toHaveLength(1);
    expect(set.problems.map((p) => [p.origin.kind === 'file' ? p.origin.document : -1, p.message.split(':')[0]])).toEqual([
      [0, 'not a Kubernetes object'],
      [2, 'not valid YAML at line 8, column 1'],
    ]);
  });

  it('reads JSON', () => {
    const set = parse('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"j"}}');
    expect(set.objects[0]?.object.metadata.name).toBe('j');
  });
});
