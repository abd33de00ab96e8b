import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../facts/node-facts.ts';
import { configDirKubeletFlags, dataDir, effectiveArgs, fileStat, input, k3sKubeletDefaults, kubeletDropInPath, nodeFacts, verdictOf } from '../test-node.fixture.ts';

const dir = `${dataDir}/agent/etc/kubelet.conf.d`;
const node = (flags: readonly string[], files: FileStat[], configPath?: string) =>
  input(
    nodeFacts('agent', {
      files,
      kubeletConfigFiles: [
        { path: kubeletDropInPath, present: true, content: k3sKubeletDefaults() },
        ...(configPath === undefined ? [] : [{ path: configPath, present: true, content: { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' } }]),
      ],
    }),
    effectiveArgs({ kubelet: flags }),
  );

describe('kubelet config file permissions (4.1.9-4.1.11)', () => {
  it('4.1.9/4.1.10 are N/A when the kubelet has no --config, naming the drop-in directory instead', () => {
    for (const implementation of ['kubelet.config-file-mode', 'kubelet.config-file-owner']) {
      const verdict = verdictOf(implementation, node(configDirKubeletFlags, []));
      expect(verdict.status).toBe('N/A');
      expect(verdict.reason).toContain(dir);
    }
  });

  it('4.1.9 judges the file given with --config', () => {
    const config = '/etc/rancher/k3s/kubelet.yaml';
    expect(verdictOf('kubelet.config-file-mode', node([`--config=${config}`], [fileStat(config, 0o600)], config)).status).toBe('PASS');
    expect(verdictOf('kubelet.config-file-mode', node([`--config=${config}`], [fileStat(config, 0o644)], config)).status).toBe('FAIL');
  });

  it.each([
    ['k3s defaults (dir 700, file 600)', 0o700, 0o600, 'PASS'],
    ['dir 755, file 600', 0o755, 0o600, 'PASS'],
    ['file 644', 0o700, 0o644, 'FAIL'],
    ['dir 777', 0o777, 0o600, 'FAIL'],
  ])('4.1.11 with %s → %s', (_name, dirMode, fileMode, status) => {
    const files = [fileStat(dir, dirMode, { type: 'directory' }), fileStat(kubeletDropInPath, fileMode)];
    expect(verdictOf('kubelet.drop-in-permissions', node(configDirKubeletFlags, files)).status).toBe(status);
  });

  it('4.1.11 is N/A without --config-dir', () => {
    expect(verdictOf('kubelet.drop-in-permissions', node(['--hostname-override=agent-0'], [])).status).toBe('N/A');
  });
});
