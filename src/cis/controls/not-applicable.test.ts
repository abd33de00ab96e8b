import { describe, expect, it } from 'vitest';
import { effectiveArgs, input, nodeFacts, verdictOf } from '../test-node.fixture.ts';

describe('fixed verdicts', () => {
  it('N/A by design carries the catalog\'s reason', () => {
    const verdict = verdictOf('not-applicable', input(nodeFacts('server'), effectiveArgs({})), 'k3s-cis-2.1', { reason: 'no pod manifest on k3s' });
    expect(verdict).toMatchObject({ status: 'N/A', reason: 'no pod manifest on k3s' });
  });

  it('manual controls WARN with what to check by hand', () => {
    const verdict = verdictOf('manual', input(nodeFacts('server'), effectiveArgs({})), 'k3s-cis-2.1', { check: 'Review the audit policy.' });
    expect(verdict).toMatchObject({ status: 'WARN', reason: 'Manual check: Review the audit policy.' });
  });
});
