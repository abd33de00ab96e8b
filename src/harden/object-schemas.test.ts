import { describe, expect, it } from 'vitest';
import { validateGeneratedYaml } from './object-schemas.ts';

describe('validateGeneratedYaml', () => {
  it.each([
    ['a parse error', 'kind: [\n', /document 1/],
    ['an unknown kind', 'apiVersion: v1\nkind: Pod\n', /no schema for kind Pod/],
    ['an unknown field', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Metadata}]\nextra: 1\n', /Unrecognized key/],
    ['a bad level', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Everything}]\n', /rules.0.level/],
    [
      'a NetworkPolicy port out of range',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: b}\nspec: {podSelector: {}, ingress: [{ports: [{port: 70000}]}]}\n',
      /spec.ingress.0.ports.0.port/,
    ],
  ])('reports %s', (_name, content, pattern) => {
    expect(validateGeneratedYaml(content).join('\n')).toMatch(pattern);
  });
});
