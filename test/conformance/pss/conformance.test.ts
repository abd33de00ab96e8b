import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyApiDefaults } from '../../../src/pss/api-defaulting.ts';
import type { CheckId } from '../../../src/pss/check.ts';
import { checkIds } from '../../../src/pss/check.ts';
import { evaluatePodSecurity } from '../../../src/pss/evaluate.ts';
import { extractPod } from '../../../src/pss/workload.ts';

/**
 * The upstream Pod Security admission fixtures (kubernetes/pod-security-admission test/testdata at
 * 8f84a87, copied byte for byte): every pass pod is allowed and every fail pod rejected at the level
 * and version of its folder, and a fail pod is rejected by (at least) the check it was generated for.
 */
const root = path.dirname(fileURLToPath(import.meta.url));

interface Fixture {
  level: 'baseline' | 'restricted';
  minor: number;
  outcome: 'pass' | 'fail';
  name: string;
  file: string;
}

function listFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const level of ['baseline', 'restricted'] as const) {
    for (const versionDir of readdirSync(path.join(root, level))) {
      const minor = Number(versionDir.replace(/^v1\./, ''));
      for (const outcome of ['pass', 'fail'] as const) {
        const dir = path.join(root, level, versionDir, outcome);
        for (const file of readdirSync(dir).sort()) {
          if (file.endsWith('.yaml')) fixtures.push({ level, minor, outcome, name: file.replace(/\.yaml$/, ''), file: path.join(dir, file) });
        }
      }
    }
  }
  return fixtures.sort((a, b) => a.level.localeCompare(b.level) || a.minor - b.minor || a.file.localeCompare(b.file));
}

const checkIdByLowercase = new Map<string, CheckId>(checkIds.map((id) => [id.toLowerCase(), id]));

/** The check a fixture targets: its file stem without the index, mapped back to the check ID. */
function targetCheck(name: string): CheckId | undefined {
  return checkIdByLowercase.get(name.replace(/[0-9]+$/, ''));
}

/** Under restricted a restricted check overrides some baseline checks; the override is what rejects the pod. */
function expectedRejectingCheck(target: CheckId, level: 'baseline' | 'restricted', minor: number): CheckId {
  if (level !== 'restricted') return target;
  if (target === 'hostPathVolumes') return 'restrictedVolumes';
  if (target === 'capabilities_baseline' && minor >= 22) return 'capabilities_restricted';
  if (target === 'seccompProfile_baseline' && minor >= 19) return 'seccompProfile_restricted';
  if (target === 'procMount' && minor >= 35) return 'procMount_restricted';
  return target;
}

function evaluateFixture(fixture: Fixture) {
  const object = parse(readFileSync(fixture.file, 'utf8')) as { apiVersion: string; kind: string } & Record<string, unknown>;
  const extracted = extractPod(object);
  if (extracted.kind !== 'pod') throw new Error(`${fixture.file}: not a pod (${extracted.kind})`);
  const pod = applyApiDefaults(extracted.pod, { isPod: extracted.isPod });
  return evaluatePodSecurity(pod, { level: fixture.level, version: fixture.minor });
}

const fixtures = listFixtures();

describe('upstream Pod Security fixtures', () => {
  it('are all present (4537 files: 1051 pass, 3486 fail)', () => {
    expect(fixtures).toHaveLength(4537);
    expect(fixtures.filter((fixture) => fixture.outcome === 'pass')).toHaveLength(1051);
  });

  it.each(fixtures.map((fixture) => [`${fixture.level}/v1.${fixture.minor}/${fixture.outcome}/${fixture.name}`, fixture] as const))(
    '%s',
    (_label, fixture) => {
      const evaluation = evaluateFixture(fixture);
      if (fixture.outcome === 'pass') {
        expect(evaluation.failed).toEqual([]);
        return;
      }
      expect(evaluation.allowed).toBe(false);
      const target = targetCheck(fixture.name);
      if (target !== undefined) {
        expect(evaluation.failed.map((check) => check.id)).toContain(expectedRejectingCheck(target, fixture.level, fixture.minor));
      }
    },
  );

  it('every fail fixture names a known check', () => {
    const unknown = fixtures.filter((fixture) => fixture.outcome === 'fail' && targetCheck(fixture.name) === undefined);
    expect(unknown.map((fixture) => fixture.file)).toEqual([]);
  });
});
