import type { ConfigFile, FileStat, NodeFacts, Role } from '../facts/node-facts.ts';

/**
 * Minimal NodeFacts for harden's tests: a k3s node of a role and version with the given config files and
 * file stats, nothing running. Tests that need a realistic node use the fixture trees instead.
 */
export interface TestFactsInput {
  role: Role;
  version?: string;
  configFiles?: ConfigFile[];
  files?: FileStat[];
  argv?: string[];
  sysctlRuntime?: Record<string, string>;
}

export function testFacts(input: TestFactsInput): NodeFacts {
  const version = input.version ?? 'v1.31.4+k3s1';
  const runtime: NodeFacts['sysctl']['runtime'] = input.sysctlRuntime === undefined
    ? { available: false, reason: 'offline root', values: {} }
    : {
        available: true,
        values: Object.fromEntries(
          Object.entries(input.sysctlRuntime).map(([key, value]) => [key, { value, source: { kind: 'proc-sys' as const, path: `/proc/sys/${key.replaceAll('.', '/')}` } }]),
        ),
      };
  return {
    apiVersion: 'kharden.dev/v1',
    kind: 'NodeFacts',
    collectedAt: '2030-01-01T00:00:00Z',
    collector: { kharden: '0.1.0', mode: 'root', root: '/tmp/root' },
    hostname: 'node-1',
    k3s: {
      installed: true,
      version: { value: version, source: { kind: 'binary', path: '/usr/local/bin/k3s' } },
      role: { value: input.role, source: { kind: 'kharden', detail: 'test' } },
      dataDir: '/var/lib/rancher/k3s',
      configFiles: input.configFiles ?? [],
      process: null,
      service:
        input.argv === undefined
          ? null
          : { source: { kind: 'service-unit', path: '/etc/systemd/system/k3s.service', line: 12 }, argv: input.argv },
      environment: [],
      logs: { sources: [], running: [], datastoreLines: [] },
    },
    kubeletConfigFiles: [],
    etcdConfig: null,
    encryptionConfig: null,
    files: input.files ?? [],
    sysctl: { runtime, boot: [], bootErrors: [] },
  };
}

export function configFile(path: string, entries: Array<[string, ConfigFile['entries'][number]['value']]>): ConfigFile {
  return { path, present: true, entries: entries.map(([key, value], index) => ({ key, value, line: index + 1 })) };
}
