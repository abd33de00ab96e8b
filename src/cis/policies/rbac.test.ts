import { describe, expect, it } from 'vitest';
import type { SourcedObject } from '../../facts/kube-object.ts';
import { grantsFor, rbacIndex, ruleAllows } from './rbac.ts';
import { clusterRole, clusterRoleBinding, role, roleBinding } from './test-cluster.fixture.ts';

const sourced = (objects: SourcedObject['object'][]): SourcedObject[] => objects.map((object) => ({ object, origin: { kind: 'cluster', server: 'https://x' } }));
const rule = (verbs: string[], apiGroups: string[], resources: string[]) => ({ verbs, apiGroups, resources, resourceNames: [], nonResourceURLs: [] });

describe('ruleAllows', () => {
  it.each([
    [rule(['get'], [''], ['secrets']), 'get', '', 'secrets', undefined, true],
    [rule(['*'], ['*'], ['*']), 'delete', 'apps', 'deployments', undefined, true],
    [rule(['get'], [''], ['pods']), 'get', '', 'pods', 'log', false],
    [rule(['get'], [''], ['pods/log']), 'get', '', 'pods', 'log', true],
    [rule(['get'], [''], ['*/proxy']), 'get', '', 'nodes', 'proxy', true],
    [rule(['get'], ['apps'], ['secrets']), 'get', '', 'secrets', undefined, false],
    [rule(['list'], [''], ['secrets']), 'get', '', 'secrets', undefined, false],
  ])('%o allows %s %s/%s/%s: %s', (r, verb, group, resource, subresource, expected) => {
    expect(ruleAllows(r, verb, group, resource, subresource)).toBe(expected);
  });
});

describe('grantsFor', () => {
  it('finds grants through ClusterRoleBindings and RoleBindings, and resolves aggregated ClusterRoles', () => {
    const index = rbacIndex(
      sourced([
        clusterRole('secret-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }], { 'example.com/aggregate-to-ops': 'true' }),
        { ...clusterRole('ops', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-ops': 'true' } }] } },
        clusterRoleBinding('ops-everyone', 'ops', [{ kind: 'Group', name: 'system:authenticated' }]),
        role('shop', 'pods', [{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }]),
        roleBinding('shop', 'dev-pods', { kind: 'Role', name: 'pods' }, [{ kind: 'User', name: 'dev' }]),
      ]),
    );
    const secrets = grantsFor(index, { verbs: ['get', 'list'], group: '', resource: 'secrets' }, true);
    expect(secrets.grants.map((grant) => [grant.binding.ref.name, grant.verbs, grant.namespace])).toEqual([['ops-everyone', ['get'], null]]);
    const pods = grantsFor(index, { verbs: ['create'], group: '', resource: 'pods' }, true);
    expect(pods.grants.map((grant) => [grant.binding.ref.name, grant.namespace])).toEqual([['dev-pods', 'shop']]);
  });

  it('marks a binding to a role missing from manifests as unresolved, and ignores it in a complete cluster list', () => {
    const index = rbacIndex(sourced([clusterRoleBinding('b', 'edit', [{ kind: 'User', name: 'u' }])]));
    expect(grantsFor(index, { verbs: ['get'], group: '', resource: 'secrets' }, false).unresolved).toHaveLength(1);
    expect(grantsFor(index, { verbs: ['get'], group: '', resource: 'secrets' }, true)).toEqual({ grants: [], unresolved: [] });
  });
});
