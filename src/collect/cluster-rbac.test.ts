import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { clusterKinds } from '../facts/cluster-facts.ts';

// deploy/rbac.yaml is the least privilege of the cluster collector: exactly get+list on the kinds it reads.
describe('deploy/rbac.yaml', () => {
  const documents = parseAllDocuments(readFileSync(new URL('../../deploy/rbac.yaml', import.meta.url), 'utf8')).map((document) => document.toJS() as Record<string, unknown>);
  const role = documents.find((document) => document.kind === 'ClusterRole') as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };

  it('grants get and list on every kind the collector lists, and on nothing else', () => {
    const granted = role.rules.flatMap((rule) => rule.apiGroups.flatMap((group) => rule.resources.map((resource) => `${group}/${resource}`))).sort();
    expect(granted).toEqual(clusterKinds.map((kind) => `${kind.group}/${kind.resource}`).sort());
    for (const rule of role.rules) expect(rule.verbs).toEqual(['get', 'list']);
  });

  it('grants no access to secrets and no wildcard', () => {
    const text = JSON.stringify(role);
    expect(text).not.toContain('secrets');
    expect(text).not.toContain('*');
  });

  it('binds the role to the kharden ServiceAccount, whose namespace keeps section 5 clean', () => {
    expect(documents.map((document) => document.kind)).toEqual(['Namespace', 'ServiceAccount', 'ServiceAccount', 'NetworkPolicy', 'ClusterRole', 'ClusterRoleBinding']);
    expect(documents[1]).toMatchObject({ metadata: { name: 'default', namespace: 'kharden' }, automountServiceAccountToken: false });
    expect(documents[5]).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'kharden-audit' }, subjects: [{ kind: 'ServiceAccount', name: 'kharden', namespace: 'kharden' }] });
  });
});
