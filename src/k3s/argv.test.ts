import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseK3sArgv } from './argv.ts';
import { maskArgv } from './secrets.ts';

describe('parseK3sArgv', () => {
  it('reads the argv the install script writes into k3s.service', () => {
    const parsed = parseK3sArgv(['server', '--write-kubeconfig-mode', '644', '--cluster-init', '-c', '/etc/k3s/alt.yaml', '--kube-apiserver-arg=enable-admission-plugins=NodeRestriction,EventRateLimit']);
    expect(parsed.subcommand).toBe('server');
    expect(parsed.flags.map((f) => [f.name, f.value])).toEqual([
      ['write-kubeconfig-mode', '644'],
      ['cluster-init', 'true'],
      ['config', '/etc/k3s/alt.yaml'],
      ['kube-apiserver-arg', 'enable-admission-plugins=NodeRestriction,EventRateLimit'],
    ]);
  });

  it('recognises other subcommands and global flags before the subcommand', () => {
    expect(parseK3sArgv(['kubectl', 'get', 'nodes']).otherCommand).toBe('kubectl');
    const parsed = parseK3sArgv(['--debug', 'agent', '--server', 'https://10.0.0.1:6443']);
    expect(parsed.subcommand).toBe('agent');
    expect(parsed.flags.map((f) => f.name)).toEqual(['debug', 'server']);
  });

  it('boolean flags do not swallow the next token; =false turns them off', () => {
    const parsed = parseK3sArgv(['server', '--secrets-encryption', '--protect-kernel-defaults=false', '--disable', 'traefik']);
    expect(parsed.flags.map((f) => [f.name, f.value])).toEqual([
      ['secrets-encryption', 'true'],
      ['protect-kernel-defaults', 'false'],
      ['disable', 'traefik'],
    ]);
  });
});

describe('maskArgv', () => {
  it('masks secrets in both spellings, keeping a datastore URL scheme', () => {
    expect(maskArgv(['server', '--token', 'K10abc::server:s3cret', '-t=abc', '--datastore-endpoint=postgres://u:p@db:5432/k3s', '--node-name', 'n1'])).toEqual([
      'server', '--token', '********', '-t=********', '--datastore-endpoint=postgres://********', '--node-name', 'n1',
    ]);
  });
});

const flagArbitrary = fc.oneof(
  fc.record({ name: fc.constantFrom('node-label', 'kube-apiserver-arg', 'kubelet-arg', 'data-dir', 'write-kubeconfig-mode', 'flannel-backend', 'token', 'config'), value: fc.stringMatching(/^[a-zA-Z0-9/][a-zA-Z0-9/=.,:_-]{0,20}$/), kind: fc.constant('value' as const) }),
  fc.record({ name: fc.constantFrom('cluster-init', 'secrets-encryption', 'protect-kernel-defaults', 'disable-agent'), value: fc.constantFrom('true', 'false'), kind: fc.constant('bool' as const) }),
);

describe('argv parsing properties', () => {
  test.prop([fc.constantFrom('server', 'agent'), fc.array(fc.tuple(flagArbitrary, fc.integer({ min: 0, max: 2 })), { maxLength: 8 })])(
    'every spelling of the same flags parses to the same (name, value) list',
    (subcommand, flags) => {
      const argv: string[] = [subcommand];
      for (const [flag, style] of flags) {
        const dashed = flag.name === 'config' && style === 2 ? '-c' : flag.name === 'token' && style === 2 ? '-t' : `--${flag.name}`;
        if (flag.kind === 'bool') {
          argv.push(flag.value === 'true' && style !== 0 ? dashed : `${dashed}=${flag.value}`);
        } else if (style === 0) {
          argv.push(`${dashed}=${flag.value}`);
        } else {
          argv.push(dashed, flag.value);
        }
      }
      const parsed = parseK3sArgv(argv);
      expect(parsed.subcommand).toBe(subcommand);
      expect(parsed.flags.map((f) => [f.name, f.value])).toEqual(flags.map(([f]) => [f.name, f.value]));
      expect(parsed.positional).toEqual([]);
    },
  );

  test.prop([fc.array(fc.stringMatching(/^[a-zA-Z0-9=:/_-]{0,12}$/), { maxLength: 10 })])('masking never leaks a token value and keeps the length', (words) => {
    const argv = ['server', ...words.flatMap((w, i) => (i % 2 === 0 ? ['--token', `SECRET${w}`] : [`--agent-token=SECRET${w}`]))];
    const masked = maskArgv(argv);
    expect(masked).toHaveLength(argv.length);
    expect(masked.join(' ')).not.toContain('SECRET');
  });
});
