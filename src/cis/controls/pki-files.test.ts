import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../facts/node-facts.ts';
import { dataDir, effectiveArgs, fileStat, input, nodeFacts, verdictOf } from '../test-node.fixture.ts';

const tls = `${dataDir}/server/tls`;
const tree = (certMode: number, keyMode = 0o600, extra: FileStat[] = []): FileStat[] => [
  fileStat(tls, 0o755, { type: 'directory' }),
  fileStat(`${tls}/client-ca.crt`, certMode),
  fileStat(`${tls}/server-ca.crt`, certMode),
  fileStat(`${tls}/client-ca.key`, keyMode),
  fileStat(`${tls}/service.key`, keyMode),
  ...extra,
];
const server = (files: FileStat[]) => input(nodeFacts('server', { files }), effectiveArgs({}));

describe('PKI controls (1.1.19-1.1.21)', () => {
  it.each([
    ['k3s-cis-1.9', 0o644, 'FAIL'],
    ['k3s-cis-1.9', 0o600, 'PASS'],
    ['k3s-cis-1.12', 0o644, 'PASS'],
    ['k3s-cis-2.1', 0o644, 'PASS'],
    ['k3s-cis-2.1', 0o664, 'FAIL'],
  ])('%s: certificates with mode %o → %s', (benchmark, mode, status) => {
    expect(verdictOf('pki.cert-files-mode', server(tree(mode)), benchmark).status).toBe(status);
  });

  it('names every certificate that is too open', () => {
    const verdict = verdictOf('pki.cert-files-mode', server(tree(0o644)), 'k3s-cis-1.9');
    expect(verdict.reason).toContain('2 of 2');
    expect(verdict.evidence.map((item) => item.subject)).toEqual([`${tls}/client-ca.crt mode`, `${tls}/server-ca.crt mode`]);
  });

  it('keys must be 600', () => {
    expect(verdictOf('pki.key-files-mode', server(tree(0o644, 0o600))).status).toBe('PASS');
    expect(verdictOf('pki.key-files-mode', server(tree(0o644, 0o640))).status).toBe('FAIL');
  });

  it('1.1.19 checks the directory and the files in it', () => {
    expect(verdictOf('pki.directory-owner', server(tree(0o644))).status).toBe('PASS');
    const foreign = tree(0o644, 0o600, [fileStat(`${tls}/extra.crt`, 0o644, { uid: 1000, gid: 1000, user: 'admin', group: 'admin' })]);
    expect(verdictOf('pki.directory-owner', server(foreign)).status).toBe('FAIL');
  });

  it('is UNKNOWN when no certificate was collected from an existing tls directory', () => {
    expect(verdictOf('pki.cert-files-mode', server([fileStat(tls, 0o755, { type: 'directory' })])).status).toBe('UNKNOWN');
  });
});
