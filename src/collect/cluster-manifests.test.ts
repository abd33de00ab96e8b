import { describe, expect, it } from 'vitest';
import { clusterFactsFromManifests } from './cluster-manifests.ts';
import { parseManifestText, type ManifestSet } from './manifests.ts';

describe('clusterFactsFromManifests', () => {
  const set: ManifestSet = { objects: [], problems: [], files: [] };
  parseManifestText(
    [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: shop}',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: db, namespace: shop}',
      'stringData: {password: hunter2}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: cfg, namespace: shop}',
      '---',
      'kind: Broken',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: shop}',
      'spec: {template: {spec: {containers: [{name: app, env: [{name: X, value: secret-value}]}]}}}',
    ].join('\n'),
    'shop.yaml',
    set,
  );
  const facts = clusterFactsFromManifests(set, '2026-01-01T00:00:00Z');

  it('keeps the kinds the audit reads, with their file origin', () => {
    expect(facts.objects.map((entry) => entry.object.kind)).toEqual(['Namespace', 'Deployment']);
    expect(facts.objects[1]?.origin).toEqual({ kind: 'file', path: 'shop.yaml', document: 4, line: 15 });
    expect(facts.collector.mode).toBe('manifests');
    expect(facts.access.find((entry) => entry.kind === 'Deployment')).toMatchObject({ state: 'files', count: 1 });
  });

  it('never keeps Secret data or literal env values, and says what it left out', () => {
    const text = JSON.stringify(facts);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret-value');
    expect(facts.notes).toEqual(['1 Secret object left out: kharden never reads secret data', 'kinds the cluster audit does not read were left out: ConfigMap (1)']);
  });

  it('passes on malformed documents with file and document index', () => {
    expect(facts.problems).toEqual([{ origin: { kind: 'file', path: 'shop.yaml', document: 3, line: 13 }, message: 'not a Kubernetes object: no apiVersion' }]);
  });
});
