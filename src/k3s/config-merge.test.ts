import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { ConfigEntry, ConfigFile } from '../facts/node-facts.ts';
import { parseK3sArgv } from './argv.ts';
import { parseConfigFileText } from './config-file.ts';
import { mergeConfigFiles, resolveK3sSettings, settingBool, settingValue, settingValues } from './config-merge.ts';

const file = (path: string, text: string): ConfigFile => parseConfigFileText(text, path);
const values = (settings: ReadonlyMap<string, readonly { value: string }[]>, name: string) => (settings.get(name) ?? []).map((v) => v.value);

describe('mergeConfigFiles (k3s configfilearg semantics)', () => {
  it('reproduces the example of docs/installation/configuration.md', () => {
    const merged = mergeConfigFiles([
      file('/etc/rancher/k3s/config.yaml', 'token: boop\nnode-label:\n  - foo=bar\n  - bar=baz\n'),
      file('/etc/rancher/k3s/config.yaml.d/test1.yaml', 'write-kubeconfig-mode: 600\n'),
      file('/etc/rancher/k3s/config.yaml.d/test2.yaml', 'write-kubeconfig-mode: 777\nnode-label:\n  - other=what\n  - foo=three\n'),
    ]);
    expect(values(merged, 'write-kubeconfig-mode')).toEqual(['777']);
    expect(values(merged, 'token')).toEqual(['********']);
    expect(values(merged, 'node-label')).toEqual(['other=what', 'foo=three']);
  });

  it('appends with key+ and keeps each value\'s file and line', () => {
    const merged = mergeConfigFiles([
      file('/etc/rancher/k3s/config.yaml', 'kube-apiserver-arg:\n  - "profiling=false"\n'),
      file('/etc/rancher/k3s/config.yaml.d/90-cis.yaml', '# CIS\nkube-apiserver-arg+:\n  - "audit-log-maxage=30"\n  - "audit-log-maxbackup=10"\n'),
    ]);
    const args = merged.get('kube-apiserver-arg') ?? [];
    expect(args.map((v) => v.value)).toEqual(['profiling=false', 'audit-log-maxage=30', 'audit-log-maxbackup=10']);
    expect(args.map((v) => `${v.source.path}:${v.source.line}`)).toEqual([
      '/etc/rancher/k3s/config.yaml:2',
      '/etc/rancher/k3s/config.yaml.d/90-cis.yaml:3',
      '/etc/rancher/k3s/config.yaml.d/90-cis.yaml:4',
    ]);
  });

  it('treats 0644 as the YAML 1.1 octal number k3s sees (420)', () => {
    const merged = mergeConfigFiles([file('/c.yaml', 'write-kubeconfig-mode: 0644\nsecrets-encryption: yes\n')]);
    expect(values(merged, 'write-kubeconfig-mode')).toEqual(['420']);
    expect(values(merged, 'secrets-encryption')).toEqual(['true']);
  });

  it('skips a file with a syntax error and names its line', () => {
    const broken = file('/etc/rancher/k3s/config.yaml', 'token: x\nkube-apiserver-arg:\n  - a=b\n - c\n');
    expect(broken.error?.line).toBe(4);
    expect(mergeConfigFiles([broken]).size).toBe(0);
  });
});

describe('resolveK3sSettings', () => {
  const configFiles = [file('/etc/rancher/k3s/config.yaml', 'node-label:\n  - a=1\nwrite-kubeconfig-mode: "0600"\ndata-dir: /data/k3s\nresolv-conf: /etc/k3s-resolv.conf\n')];
  const unit = { kind: 'service-unit' as const, path: '/etc/systemd/system/k3s.service', line: 30 };

  it('command line beats config beats environment', () => {
    const settings = resolveK3sSettings({
      configFiles,
      argv: [{ flags: parseK3sArgv(['server', '--write-kubeconfig-mode', '644', '--node-label=b=2']).flags, source: unit }],
      environment: [
        { name: 'K3S_RESOLV_CONF', value: '/env/resolv.conf', source: { kind: 'env-file', path: '/etc/systemd/system/k3s.service.env', line: 1 } },
        { name: 'K3S_NODE_NAME', value: 'edge-1', source: { kind: 'env-file', path: '/etc/systemd/system/k3s.service.env', line: 2 } },
      ],
    });
    expect(settingValue(settings, 'write-kubeconfig-mode')?.value).toBe('644');
    expect(settingValue(settings, 'write-kubeconfig-mode')?.source.kind).toBe('service-unit');
    expect(values(settings, 'node-label')).toEqual(['b=2']); // a repeatable flag on the command line replaces the list
    expect(settingValue(settings, 'resolv-conf')?.value).toBe('/etc/k3s-resolv.conf');
    expect(settingValue(settings, 'data-dir')?.value).toBe('/data/k3s');
    expect(settingValue(settings, 'node-name')?.value).toBe('edge-1');
    expect(settingValue(settings, 'node-name')?.source.detail).toBe('K3S_NODE_NAME');
  });

  it("takes no data directory from K3S_DATA_DIR: the k3s wrapper sets it to its unpacked binaries, and --data-dir reads no variable", () => {
    const settings = resolveK3sSettings({
      configFiles: [],
      environment: [{ name: 'K3S_DATA_DIR', value: '/var/lib/rancher/k3s/data/abc', source: { kind: 'env-file', path: '/etc/systemd/system/k3s.service.env', line: 1 } }],
    });
    expect(settingValue(settings, 'data-dir')).toBeNull();
  });

  it('reads booleans as Go does', () => {
    const settings = resolveK3sSettings({ configFiles: [file('/c.yaml', 'cluster-init: true\nsecrets-encryption: "false"\n')] });
    expect(settingBool(settings, 'cluster-init')?.value).toBe(true);
    expect(settingBool(settings, 'secrets-encryption')?.value).toBe(false);
    expect(settingBool(settings, 'protect-kernel-defaults')).toBeNull();
    expect(settingValues(settings, 'kubelet-arg')).toEqual([]);
  });
});

// ---- property tests ------------------------------------------------------------------------------

const keyArbitrary = fc.constantFrom('node-label', 'kube-apiserver-arg', 'write-kubeconfig-mode', 'flannel-backend', 'tls-san');
const itemArbitrary = fc.stringMatching(/^[a-z][a-z0-9=.,-]{0,12}$/);
const entryArbitrary = fc.record({
  key: keyArbitrary,
  append: fc.boolean(),
  value: fc.oneof(itemArbitrary, fc.array(itemArbitrary, { minLength: 0, maxLength: 3 })),
});
const filesArbitrary = fc.array(fc.array(entryArbitrary, { maxLength: 5 }), { minLength: 1, maxLength: 4 });

type GeneratedEntry = { key: string; append: boolean; value: string | string[] };

function toConfigFiles(files: GeneratedEntry[][]): ConfigFile[] {
  return files.map((entries, fileIndex) => ({
    path: `/etc/rancher/k3s/config.yaml${fileIndex === 0 ? '' : `.d/${String(fileIndex).padStart(2, '0')}.yaml`}`,
    present: true,
    entries: entries.map((entry, index): ConfigEntry => ({
      key: entry.append ? `${entry.key}+` : entry.key,
      value: entry.value,
      line: index + 1,
    })),
  }));
}

/** The reference model, written from the k3s docs rather than from the implementation. */
function model(files: GeneratedEntry[][]): Map<string, string[]> {
  const state = new Map<string, string[]>();
  for (const entries of files) {
    for (const entry of entries) {
      const incoming = Array.isArray(entry.value) ? entry.value : [entry.value];
      const previous = state.get(entry.key);
      state.set(entry.key, entry.append && previous !== undefined ? [...previous, ...incoming] : incoming);
    }
  }
  return state;
}

describe('config merge properties', () => {
  test.prop([filesArbitrary])('matches the documented model: last plain key wins, key+ appends', (files) => {
    const merged = mergeConfigFiles(toConfigFiles(files));
    const expected = model(files);
    expect(new Set(merged.keys())).toEqual(new Set(expected.keys()));
    for (const [key, list] of expected) expect(values(merged, key)).toEqual(list);
  });

  test.prop([filesArbitrary])('splitting entries over drop-ins changes nothing (one file = many files)', (files) => {
    const asOne = mergeConfigFiles(toConfigFiles([files.flat()]));
    const asMany = mergeConfigFiles(toConfigFiles(files));
    for (const key of new Set([...asOne.keys(), ...asMany.keys()])) expect(values(asMany, key)).toEqual(values(asOne, key));
  });

  test.prop([filesArbitrary])('every value points at an entry that holds it', (files) => {
    const configFiles = toConfigFiles(files);
    for (const [, list] of mergeConfigFiles(configFiles)) {
      for (const item of list) {
        const source = configFiles.find((f) => f.path === item.source.path);
        const entry = source?.entries.find((e) => e.line === item.source.line);
        expect(entry).toBeDefined();
        const held = Array.isArray(entry?.value) ? entry.value : [entry?.value];
        expect(held).toContain(item.value);
      }
    }
  });

  test.prop([filesArbitrary, fc.array(itemArbitrary, { minLength: 1, maxLength: 3 })])(
    'a repeatable flag on the command line replaces the config list; a scalar one wins',
    (files, cliValues) => {
      const argv = ['server', ...cliValues.flatMap((v) => ['--node-label', v]), `--flannel-backend=${cliValues[0] ?? ''}`];
      const settings = resolveK3sSettings({
        configFiles: toConfigFiles(files),
        argv: [{ flags: parseK3sArgv(argv).flags, source: { kind: 'cmdline', path: '/proc/1/cmdline' } }],
      });
      expect(values(settings, 'node-label')).toEqual(cliValues);
      expect(settingValue(settings, 'flannel-backend')?.value).toBe(cliValues[0]);
    },
  );
});
