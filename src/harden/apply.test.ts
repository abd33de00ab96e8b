import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOperations, sha256 } from './apply.ts';
import { listBackups } from './backup-store.ts';
import type { FileOperation, StepName } from './file-operation.ts';
import { rollback } from './rollback.ts';

const oldSysctl = 'vm.overcommit_memory=0\n';
const newSysctl = 'vm.overcommit_memory=1\n';
const dropIn = 'protect-kernel-defaults: true\n';

/** A small node tree: one file replaced, one created in a new directory, one chmod, one new 700 directory. */
function makeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kharden-apply-'));
  mkdirSync(join(root, 'etc/sysctl.d'), { recursive: true });
  writeFileSync(join(root, 'etc/sysctl.d/90-kubelet.conf'), oldSysctl);
  chmodSync(join(root, 'etc/sysctl.d/90-kubelet.conf'), 0o664);
  chownSync(join(root, 'etc/sysctl.d/90-kubelet.conf'), 1000, 1000);
  mkdirSync(join(root, 'etc/rancher/k3s'), { recursive: true });
  mkdirSync(join(root, 'var/lib/rancher/k3s/server/tls'), { recursive: true });
  writeFileSync(join(root, 'var/lib/rancher/k3s/server/tls/server-ca.crt'), 'CERT');
  chmodSync(join(root, 'var/lib/rancher/k3s/server/tls/server-ca.crt'), 0o644);
  return root;
}

const operations: FileOperation[] = [
  { op: 'write', path: '/etc/sysctl.d/90-kubelet.conf', content: newSysctl, mode: 0o644, uid: 0, gid: 0, expect: { exists: true, sha256: sha256(oldSysctl) } },
  { op: 'write', path: '/etc/rancher/k3s/config.yaml.d/90-kharden.yaml', content: dropIn, mode: 0o600, uid: 0, gid: 0, expect: { exists: false } },
  { op: 'attributes', path: '/var/lib/rancher/k3s/server/tls/server-ca.crt', mode: 0o600, uid: 0, gid: 0 },
  { op: 'mkdir', path: '/var/lib/rancher/k3s/server/logs', mode: 0o700, uid: 0, gid: 0 },
];

interface Snapshot {
  sysctl: { content: string; mode: number; uid: number };
  dropIn: string | null;
  dropInDir: boolean;
  certMode: number;
  logs: number | null;
}

function snapshot(root: string): Snapshot {
  const sysctlPath = join(root, 'etc/sysctl.d/90-kubelet.conf');
  const sysctlStat = statSync(sysctlPath);
  const dropInPath = join(root, 'etc/rancher/k3s/config.yaml.d/90-kharden.yaml');
  const logs = join(root, 'var/lib/rancher/k3s/server/logs');
  return {
    sysctl: { content: readFileSync(sysctlPath, 'utf8'), mode: sysctlStat.mode & 0o7777, uid: sysctlStat.uid },
    dropIn: existsSync(dropInPath) ? readFileSync(dropInPath, 'utf8') : null,
    dropInDir: existsSync(join(root, 'etc/rancher/k3s/config.yaml.d')),
    certMode: statSync(join(root, 'var/lib/rancher/k3s/server/tls/server-ca.crt')).mode & 0o7777,
    logs: existsSync(logs) ? statSync(logs).mode & 0o7777 : null,
  };
}

const oldState: Snapshot = { sysctl: { content: oldSysctl, mode: 0o664, uid: 1000 }, dropIn: null, dropInDir: false, certMode: 0o644, logs: null };
const newState: Snapshot = { sysctl: { content: newSysctl, mode: 0o644, uid: 0 }, dropIn: dropIn, dropInDir: true, certMode: 0o600, logs: 0o700 };

/** Every file is either wholly old or wholly new (content and attributes together), never anything else. */
function expectEachWhollyOldOrNew(state: Snapshot): void {
  expect([oldState.sysctl, newState.sysctl]).toContainEqual(state.sysctl);
  expect([oldState.dropIn, newState.dropIn]).toContain(state.dropIn);
  expect([oldState.certMode, newState.certMode]).toContain(state.certMode);
  expect([oldState.logs, newState.logs]).toContain(state.logs);
}

function noTempFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.kharden-tmp')) found.push(join(dir, entry.name));
    }
  };
  walk(root);
  return found.filter((path) => !path.includes('/var/lib/kharden/'));
}

class SimulatedCrash extends Error {}

function stepsOf(): Array<{ step: StepName; path: string }> {
  const root = makeRoot();
  const steps: Array<{ step: StepName; path: string }> = [];
  applyOperations(root, operations, { summary: 'test', hooks: { beforeStep: (step, path) => steps.push({ step, path }) } });
  return steps;
}

describe('applyOperations', () => {
  it('writes every change, backs up what it replaces, and rollback restores content, modes and owners', () => {
    const root = makeRoot();
    const result = applyOperations(root, operations, { summary: 'test' });
    expect(snapshot(root)).toEqual(newState);
    expect(result.id).not.toBeNull();
    expect(listBackups(root).map((backup) => backup.manifest.state)).toEqual(['applied']);
    const undone = rollback(root, undefined);
    expect(undone.id).toBe(result.id);
    expect(snapshot(root)).toEqual(oldState);
    expect(listBackups(root).map((backup) => backup.manifest.state)).toEqual(['rolled-back']);
  });

  it('does nothing and records no backup when there is nothing to change', () => {
    const root = makeRoot();
    expect(applyOperations(root, [], { summary: 'test' })).toEqual({ id: null, entries: [] });
    expect(listBackups(root)).toEqual([]);
  });

  it('refuses to write a file that changed since the plan was made', () => {
    const root = makeRoot();
    writeFileSync(join(root, 'etc/sysctl.d/90-kubelet.conf'), 'edited\n');
    expect(() => applyOperations(root, operations, { summary: 'test' })).toThrow(/changed since the plan was made/);
    expect(snapshot(root).dropIn).toBeNull();
  });

  const steps = stepsOf();

  it('has a fault point at every write step', () => {
    expect(new Set(steps.map((step) => step.step))).toEqual(
      new Set(['backup-copy', 'manifest-write', 'mkdir-parent', 'temp-write', 'temp-fsync', 'temp-attributes', 'rename', 'dir-fsync', 'chown', 'chmod', 'mkdir', 'manifest-complete']),
    );
  });

  it.each(steps.map((step, index) => [index, step.step, step.path] as const))(
    'a crash before step %i (%s %s) leaves each file wholly old or wholly new, and rollback restores all',
    (index) => {
      const root = makeRoot();
      let count = 0;
      expect(() =>
        applyOperations(root, operations, {
          summary: 'test',
          hooks: {
            beforeStep: () => {
              if (count++ === index) throw new SimulatedCrash('crash');
            },
          },
        }),
      ).toThrow(/crash/);
      expectEachWhollyOldOrNew(snapshot(root));
      const pending = listBackups(root).filter((backup) => backup.manifest.state !== 'rolled-back');
      if (pending.length > 0) rollback(root, undefined);
      expect(snapshot(root)).toEqual(oldState);
      expect(noTempFiles(root)).toEqual([]);
    },
  );

  it.each(steps.map((step, index) => [index, step.step, step.path] as const))(
    'a failure at step %i (%s %s) restores every file by itself and says so',
    (index) => {
      const root = makeRoot();
      let count = 0;
      const failing = () =>
        applyOperations(root, operations, {
          summary: 'test',
          rollbackOnError: true,
          hooks: {
            beforeStep: () => {
              if (count++ === index) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
            },
          },
        });
      expect(failing).toThrow(/no space left on device \(ENOSPC\)/);
      expect(snapshot(root)).toEqual(oldState);
      expect(noTempFiles(root)).toEqual([]);
    },
  );
});

describe('the apply lock', () => {
  it('refuses a second apply while another process holds the lock', () => {
    const root = makeRoot();
    mkdirSync(join(root, 'var/lib/kharden'), { recursive: true });
    writeFileSync(join(root, 'var/lib/kharden/apply.lock'), `${process.ppid}\n`);
    expect(() => applyOperations(root, operations, { summary: 'test' })).toThrow(/another kharden apply or rollback is running on this root \(pid \d+/);
    expect(snapshot(root)).toEqual(oldState);
  });

  it('takes over a lock left by a process that no longer exists', () => {
    const root = makeRoot();
    mkdirSync(join(root, 'var/lib/kharden'), { recursive: true });
    writeFileSync(join(root, 'var/lib/kharden/apply.lock'), '999999\n');
    applyOperations(root, operations, { summary: 'test' });
    expect(snapshot(root)).toEqual(newState);
  });
});

describe('rollback', () => {
  it('restores the latest apply first and refuses an older one while a newer is in place', () => {
    const root = makeRoot();
    const first = applyOperations(root, operations, { summary: 'first', now: new Date('2030-01-01T00:00:00Z') });
    const second = applyOperations(
      root,
      [{ op: 'write', path: '/etc/sysctl.d/90-kubelet.conf', content: 'third\n', mode: 0o644, uid: 0, gid: 0, expect: { exists: true, sha256: sha256(newSysctl) } }],
      { summary: 'second', now: new Date('2030-01-02T00:00:00Z') },
    );
    expect(() => rollback(root, first.id ?? '')).toThrow(/came after/);
    expect(rollback(root, undefined).id).toBe(second.id);
    expect(snapshot(root)).toEqual(newState);
    expect(rollback(root, undefined).id).toBe(first.id);
    expect(snapshot(root)).toEqual(oldState);
    expect(() => rollback(root, undefined)).toThrow(/no kharden apply to roll back/);
  });

  it('keeps a copy of a file edited after the apply', () => {
    const root = makeRoot();
    applyOperations(root, operations, { summary: 'test' });
    writeFileSync(join(root, 'etc/rancher/k3s/config.yaml.d/90-kharden.yaml'), 'edited: by hand\n');
    const result = rollback(root, undefined);
    const edited = result.outcomes.find((outcome) => outcome.path.endsWith('90-kharden.yaml'));
    expect(edited?.action).toBe('removed');
    expect(readFileSync(edited?.changedSinceApply ?? '', 'utf8')).toBe('edited: by hand\n');
  });
});
