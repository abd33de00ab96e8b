import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyApiDefaults } from '../../../src/pss/api-defaulting.ts';
import { evaluatePodSecurity } from '../../../src/pss/evaluate.ts';
import { securityPatch } from '../../../src/pss/security-patch.ts';
import { extractPod } from '../../../src/pss/workload.ts';

/**
 * The minimal patch kharden proposes must make every upstream fail fixture pass at its level and
 * version, except what no patch can do (replacing volumes).
 */
const root = path.dirname(fileURLToPath(import.meta.url));
const cases: Array<[string, string, 'baseline' | 'restricted', number]> = [];
for (const level of ['baseline', 'restricted'] as const) {
  for (const versionDir of readdirSync(path.join(root, level))) {
    const dir = path.join(root, level, versionDir, 'fail');
    for (const file of readdirSync(dir)) cases.push([`${level}/${versionDir}/fail/${file}`, path.join(dir, file), level, Number(versionDir.slice(3))]);
  }
}

describe('security patches for the upstream fail fixtures', () => {
  it.each(cases)('%s', (_label, file, level, minor) => {
    const extracted = extractPod(parse(readFileSync(file, 'utf8')) as { apiVersion: string; kind: string });
    if (extracted.kind !== 'pod') throw new Error('not a pod');
    const levelVersion = { level, version: minor };
    const evaluation = evaluatePodSecurity(applyApiDefaults(extracted.pod, { isPod: true }), levelVersion);
    const result = securityPatch(extracted.pod, 'Pod', evaluation.failed.map((check) => check.id), levelVersion, evaluation.evaluatedVersion);
    for (const id of result.remaining) expect(['hostPathVolumes', 'restrictedVolumes']).toContain(id);
    if (result.remaining.length > 0) expect(result.manual.length).toBeGreaterThan(0);
  });
});
