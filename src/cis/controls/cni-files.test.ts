import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../facts/node-facts.ts';
import { effectiveArgs, fileStat, input, missing, nodeFacts, verdictOf } from '../test-node.fixture.ts';

const dir = '/var/lib/cni/networks';
const node = (files: FileStat[]) => input(nodeFacts('server', { files }), effectiveArgs({}));
const tree = (fileMode: number, lockMode = 0o750): FileStat[] => [
  fileStat(dir, 0o755, { type: 'directory' }),
  fileStat(`${dir}/cbr0`, 0o755, { type: 'directory' }),
  fileStat(`${dir}/cbr0/10.42.0.5`, fileMode),
  fileStat(`${dir}/cbr0/last_reserved_ip.0`, fileMode),
  fileStat(`${dir}/cbr0/lock`, lockMode),
];

describe('CNI files (1.1.9, 1.1.10)', () => {
  it.each([
    [0o600, 'PASS'],
    [0o644, 'FAIL'],
  ])('IPAM files with mode %o → %s (lock files excluded)', (mode, status) => {
    expect(verdictOf('cni.files-mode', node(tree(mode))).status).toBe(status);
  });

  it('owners include the lock file', () => {
    expect(verdictOf('cni.files-owner', node(tree(0o600))).status).toBe('PASS');
  });

  it('is N/A when there is no CNI IPAM directory, saying why', () => {
    const verdict = verdictOf('cni.files-mode', node([missing(dir)]));
    expect(verdict.status).toBe('N/A');
    expect(verdict.reason).toContain('does not exist');
  });

  it('is UNKNOWN when the directory was not collected', () => {
    expect(verdictOf('cni.files-mode', node([])).status).toBe('UNKNOWN');
  });
});
