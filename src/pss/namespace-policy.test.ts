import { describe, expect, it } from 'vitest';
import type { LevelVersion } from './level-version.ts';
import { policyToEvaluate, privilegedPolicy, type Policy } from './namespace-policy.ts';

const lv = (level: LevelVersion['level'], version: LevelVersion['version'] = 'latest'): LevelVersion => ({ level, version });
const p = lv('privileged');
const labels = (entries: Record<string, string>) =>
  Object.fromEntries([['other-label', 'foo-bar'], ...Object.entries(entries).map(([key, value]) => [`pod-security.kubernetes.io/${key}`, value])]);

describe('policyToEvaluate', () => {
  // Upstream api/helpers_test.go TestPolicyToEvaluate.
  it.each<[string, Record<string, string>, Policy, boolean]>([
    ['simple enforce', { enforce: 'baseline' }, { enforce: lv('baseline'), warn: lv('baseline'), audit: p }, false],
    ['simple warn', { warn: 'restricted' }, { enforce: p, warn: lv('restricted'), audit: p }, false],
    ['simple audit', { audit: 'baseline' }, { enforce: p, warn: p, audit: lv('baseline') }, false],
    ['enforce & warn', { enforce: 'baseline', warn: 'restricted' }, { enforce: lv('baseline'), warn: lv('restricted'), audit: p }, false],
    ['enforce version', { enforce: 'baseline', 'enforce-version': 'v1.22' }, { enforce: lv('baseline', 22), warn: lv('baseline', 22), audit: p }, false],
    [
      'enforce version & warn-version',
      { enforce: 'baseline', 'enforce-version': 'v1.22', 'warn-version': 'latest' },
      { enforce: lv('baseline', 22), warn: lv('baseline'), audit: p },
      false,
    ],
    ['enforce & warn-version', { enforce: 'baseline', 'warn-version': 'v1.23' }, { enforce: lv('baseline'), warn: lv('baseline', 23), audit: p }, false],
    [
      'fully specified',
      { enforce: 'baseline', 'enforce-version': 'v1.20', warn: 'restricted', 'warn-version': 'v1.21', audit: 'restricted', 'audit-version': 'v1.22' },
      { enforce: lv('baseline', 20), warn: lv('restricted', 21), audit: lv('restricted', 22) },
      false,
    ],
    ['enforce no warn', { enforce: 'baseline', warn: 'privileged' }, { enforce: lv('baseline'), warn: p, audit: p }, false],
    ['enforce warn error', { enforce: 'baseline', warn: 'foo' }, { enforce: lv('baseline'), warn: p, audit: p }, true],
    ['enforce error fails closed, without defaulting warn', { enforce: 'foo' }, { enforce: lv('restricted'), warn: p, audit: p }, true],
    ['audit error fails open', { audit: 'Restricted' }, { enforce: p, warn: p, audit: p }, true],
    ['bad version means latest', { enforce: 'baseline', 'enforce-version': 'v1.030' }, { enforce: lv('baseline'), warn: lv('baseline'), audit: p }, true],
    ['future versions are kept as written', { enforce: 'restricted', 'enforce-version': 'v1.99' }, { enforce: lv('restricted', 99), warn: lv('restricted', 99), audit: p }, false],
  ])('%s', (_name, given, expected, expectError) => {
    const { policy, errors } = policyToEvaluate(labels(given), privilegedPolicy);
    expect(policy).toEqual(expected);
    expect(errors.length > 0).toBe(expectError);
  });

  it('words errors as the API server does', () => {
    const { errors } = policyToEvaluate(labels({ enforce: 'strict', 'warn-version': '1.30' }), privilegedPolicy);
    expect(errors.map((error) => error.message)).toEqual([
      'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.30": must be "latest" or "v1.x"',
    ]);
  });

  it('uses the defaults without labels, and labels override them', () => {
    const defaults: Policy = { enforce: lv('baseline'), audit: lv('restricted'), warn: lv('restricted') };
    expect(policyToEvaluate(undefined, defaults).policy).toEqual(defaults);
    expect(policyToEvaluate({}, defaults).policy).toEqual(defaults);
    expect(policyToEvaluate(labels({ enforce: 'privileged' }), defaults).policy).toEqual({ ...defaults, enforce: p });
  });
});
