import { describe, expect, it } from 'vitest';
import { fileStat } from '../test-node.fixture.ts';
import { isRootOwned, judgeMode, modeWithin, ownerOf } from './file-permissions.ts';

describe('file modes and owners', () => {
  it.each([
    [0o600, 0o600, true],
    [0o400, 0o600, true],
    [0o000, 0o600, true],
    [0o640, 0o600, false],
    [0o644, 0o644, true],
    [0o600, 0o644, true],
    [0o664, 0o644, false],
    [0o4600, 0o600, false],
    [0o700, 0o700, true],
    [0o710, 0o700, false],
  ])('mode %o within %o: %s', (mode, allowed, expected) => {
    expect(modeWithin(mode, allowed)).toBe(expected);
  });

  it('reports the mode in octal with the path as evidence', () => {
    const verdict = judgeMode(fileStat('/x', 0o644), 0o600);
    expect(verdict.status).toBe('FAIL');
    expect(verdict.reason).toBe('/x has mode 644, more permissive than 600');
    expect(verdict.evidence).toEqual([{ subject: '/x mode', value: '644', source: { kind: 'file-stat', path: '/x' } }]);
  });

  it('judges ownership by uid/gid, and shows names', () => {
    expect(isRootOwned(fileStat('/x', 0o600))).toBe(true);
    expect(isRootOwned(fileStat('/x', 0o600, { uid: 0, gid: 1000, group: 'k3s' }))).toBe(false);
    expect(ownerOf(fileStat('/x', 0o600, { uid: 1000, gid: 1000, user: undefined, group: undefined }))).toBe('1000:1000');
  });
});
