import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { validateGeneratedYaml } from './object-schemas.ts';
import { podSecurityPolicies } from './pod-security-policies.ts';

describe('podSecurityPolicies', () => {
  it('validates every object', () => {
    for (const object of podSecurityPolicies()) expect(validateGeneratedYaml(stringify(object))).toEqual([]);
  });

  it('binds the restricted policy to every authenticated user', () => {
    const binding = podSecurityPolicies().find((object) => object.metadata.name === 'default:restricted-psp');
    expect(binding).toMatchObject({ roleRef: { name: 'psp:restricted-psp' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] });
  });
});
