import { describe, expect, it } from 'vitest';
import { clusterFactsSchema, maskNodeEnvAnnotation, sanitizeObject } from './cluster-facts.ts';

describe('sanitizeObject', () => {
  it('drops managedFields and the last-applied copy, and masks literal env values in pod templates', () => {
    const object = sanitizeObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'shop',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"password":"hunter2"}', keep: 'me' },
      },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }],
          },
        },
      },
    });
    expect(JSON.stringify(object)).not.toContain('hunter2');
    expect(object.metadata).not.toHaveProperty('managedFields');
    expect(object.metadata.annotations).toEqual({ keep: 'me' });
    expect(object).toMatchObject({
      spec: { template: { spec: { containers: [{ env: [{ name: 'DB_PASSWORD', value: '********' }, { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's' } } }] }] } } },
    });
  });

  it('masks env in CronJob and bare Pod specs, trims pod status and node images', () => {
    const cronJob = sanitizeObject({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'T', value: 'tok' }] }] } } } } },
    });
    expect(JSON.stringify(cronJob)).not.toContain('tok');
    const pod = sanitizeObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] }, status: { phase: 'Pending', conditions: [{}] } });
    expect(pod).toMatchObject({ status: { phase: 'Pending' } });
    expect((pod as unknown as { status: object }).status).not.toHaveProperty('conditions');
    const node = sanitizeObject({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { images: [{ names: ['x'] }], nodeInfo: {} } });
    expect((node as unknown as { status: object }).status).toEqual({ nodeInfo: {} });
  });

  it('re-masks secrets in the k3s node annotations', () => {
    const node = sanitizeObject({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n', annotations: { 'k3s.io/node-args': '["server","--token","abc"]', 'k3s.io/node-env': '{"K3S_TOKEN":"abc","K3S_NODE_NAME":"n"}' } },
    });
    expect(JSON.stringify(node)).not.toContain('abc');
    expect(maskNodeEnvAnnotation('{"K3S_DATASTORE_ENDPOINT":"mysql://u:p@h/db"}')).toBe('{"K3S_DATASTORE_ENDPOINT":"********"}');
  });
});

describe('clusterFactsSchema', () => {
  it('rejects a snapshot of another kind', () => {
    expect(clusterFactsSchema.safeParse({ apiVersion: 'kharden.dev/v1', kind: 'NodeFacts' }).success).toBe(false);
  });
});
