/**
 * Proof on real node trees (test/fixtures/node-trees.ts), for each role and each k3s minor kharden covers:
 * after `kharden harden --apply --apply-sysctl --root`, `kharden audit --configured` passes every control
 * the plan said it fixes, and the running-state audit (what k3s last started with) still shows the
 * controls that wait for k3s's restart, with a notice saying the configuration changed since k3s started.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coveredMinorLines } from '../../src/k3s/component-defaults.ts';
import { runKharden as kharden } from '../cli-in-process.ts';
import { buildNodeTree, type NodeTreeKind } from '../fixtures/node-trees.ts';

interface PlanJson {
  changes: Array<{ path: string; controls: string[]; activation: string }>;
  afterRestart?: Array<{ id?: string }>;
  restart: { required: boolean };
}
interface ApplyJson {
  plan: PlanJson;
  backup: string | null;
}
interface AuditJson {
  benchmark: { id: string };
  notices: Array<{ level: string; message: string }>;
  sections: Array<{ findings: Array<{ id: string; status: string; reason: string }> }>;
}

const statuses = (report: AuditJson): Map<string, string> => new Map(report.sections.flatMap((section) => section.findings.map((finding) => [finding.id, finding.status] as const)));

const minors = Array.from({ length: coveredMinorLines.to - coveredMinorLines.from + 1 }, (_, index) => coveredMinorLines.from + index);
const cases: Array<[NodeTreeKind, number]> = minors.flatMap((minor) => [['default-server', minor] as [NodeTreeKind, number], ['default-agent', minor] as [NodeTreeKind, number]]);

describe('kharden harden --apply, then kharden audit', () => {
  it.each(cases)('%s on k3s 1.%i: the configured audit passes every claimed control; the running audit shows what waits for a restart', async (kind, minor) => {
    const tree = buildNodeTree(kind, { version: `v1.${minor}.2+k3s1` });
    try {
      const applied = await kharden('harden', '--root', tree.root, '--apply', '--apply-sysctl', '-f', 'json');
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      const result = JSON.parse(applied.stdout) as ApplyJson;
      const claimed = [...new Set(result.plan.changes.flatMap((change) => change.controls))];
      expect(claimed.length).toBeGreaterThan(kind.endsWith('server') ? 10 : 3);

      const configuredRun = await kharden('audit', '--root', tree.root, '--configured', '--no-auto-cluster', '-f', 'json');
      const configured = JSON.parse(configuredRun.stdout) as AuditJson;
      const configuredStatus = statuses(configured);
      const notPassing = claimed.filter((id) => configuredStatus.get(id) !== 'PASS').map((id) => `${id}: ${configuredStatus.get(id) ?? 'missing'}`);
      expect(notPassing).toEqual([]);

      const runningRun = await kharden('audit', '--root', tree.root, '--no-auto-cluster', '-f', 'json');
      const running = JSON.parse(runningRun.stdout) as AuditJson;
      const runningStatus = statuses(running);
      const waitForRestart = new Set(result.plan.changes.filter((change) => change.activation === 'k3s-restart').flatMap((change) => change.controls));
      const immediate = new Set(result.plan.changes.filter((change) => change.activation !== 'k3s-restart').flatMap((change) => change.controls));
      const pending = [...waitForRestart].filter((id) => !immediate.has(id));
      expect(pending.length).toBeGreaterThan(0);
      // Still as k3s last started: not passing in the running state...
      expect(pending.filter((id) => runningStatus.get(id) === 'PASS')).toEqual([]);
      // ...and the report says the configuration changed since k3s started.
      expect(running.notices.map((notice) => notice.message).join('\n')).toMatch(/restart/i);
      // Changes that act at once (kernel parameters loaded now, file modes) pass in the running state too.
      expect([...immediate].filter((id) => !waitForRestart.has(id) && runningStatus.get(id) !== 'PASS')).toEqual([]);
      expect(result.plan.restart.required).toBe(true);

      const again = await kharden('harden', '--root', tree.root, '--apply', '-f', 'json');
      expect((JSON.parse(again.stdout) as ApplyJson).backup).toBeNull();
    } finally {
      tree.remove();
    }
  });
});

describe('kharden harden on nodes already hardened by hand (fixture trees)', () => {
  it.each(['hardened-server', 'hardened-agent'] as const)('%s: keeps every setting of the user, completes their files in place, and the configured audit passes what it claims', async (kind) => {
    const tree = buildNodeTree(kind);
    try {
      const psaPath = `${tree.root}/var/lib/rancher/k3s/server/psa.yaml`;
      const userPsa = existsSync(psaPath) ? readFileSync(psaPath, 'utf8') : null;
      const configBefore = readFileSync(`${tree.root}/etc/rancher/k3s/config.yaml`, 'utf8');

      const applied = await kharden('harden', '--root', tree.root, '--apply', '-f', 'json');
      expect(applied.code).toBe(0);
      const result = JSON.parse(applied.stdout) as ApplyJson & { plan: { conflicts: unknown[]; alreadySet: unknown[] } };
      expect(result.plan.conflicts).toEqual([]);
      expect(result.plan.alreadySet.length).toBeGreaterThanOrEqual(3);
      expect(readFileSync(`${tree.root}/etc/rancher/k3s/config.yaml`, 'utf8')).toBe(configBefore);
      if (userPsa !== null) {
        // The user's admission configuration gets EventRateLimit appended; every byte of theirs stays.
        const after = readFileSync(psaPath, 'utf8');
        expect(after.startsWith(userPsa)).toBe(true);
        expect(after.slice(userPsa.length)).toMatch(/name: EventRateLimit/);
      }

      const claimed = [...new Set(result.plan.changes.flatMap((change) => change.controls))];
      expect(claimed.length).toBeGreaterThan(0);
      const configured = statuses(JSON.parse((await kharden('audit', '--root', tree.root, '--configured', '--no-auto-cluster', '-f', 'json')).stdout) as AuditJson);
      expect(claimed.filter((id) => configured.get(id) !== 'PASS')).toEqual([]);
    } finally {
      tree.remove();
    }
  });
});
