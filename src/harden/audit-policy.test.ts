import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditPolicyContent } from './audit-policy.ts';
import { validateGeneratedYaml } from './object-schemas.ts';

describe('auditPolicyContent', () => {
  it('is a valid audit/v1 Policy that logs metadata only (never request bodies)', () => {
    const content = auditPolicyContent();
    expect(validateGeneratedYaml(content)).toEqual([]);
    expect(parse(content).rules).toEqual([{ level: 'Metadata' }]);
  });
});
