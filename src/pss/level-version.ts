/**
 * Pod Security levels and policy versions, parsed exactly as the admission library parses namespace
 * labels and admission configuration (api/helpers.go): levels are case-sensitive, versions are
 * `latest` or `v1.N` without leading zeros; a bad level falls back to restricted and a bad version
 * to latest, with an error the caller decides what to do with.
 */
export const levels = ['privileged', 'baseline', 'restricted'] as const;
export type Level = (typeof levels)[number];

/** `latest` or the minor number N of policy version v1.N. */
export type PolicyVersion = 'latest' | number;

export interface LevelVersion {
  level: Level;
  version: PolicyVersion;
}

export function formatVersion(version: PolicyVersion): string {
  return version === 'latest' ? 'latest' : `v1.${version}`;
}

/** `restricted:latest`, `baseline:v1.29`: LevelVersion.String() upstream. */
export function formatLevelVersion(levelVersion: LevelVersion): string {
  return `${levelVersion.level}:${formatVersion(levelVersion.version)}`;
}

export type Parsed<T> = { value: T; error?: undefined } | { value: T; error: string };

export function parseLevel(text: string): Parsed<Level> {
  if (text === 'privileged' || text === 'baseline' || text === 'restricted') return { value: text };
  return { value: 'restricted', error: `must be one of ${levels.join(', ')}` };
}

const versionPattern = /^v1\.([0-9]|[1-9][0-9]*)$/;

export function parseVersion(text: string): Parsed<PolicyVersion> {
  if (text === 'latest') return { value: 'latest' };
  const match = versionPattern.exec(text);
  const minor = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  // Go's strconv.Atoi rejects numbers beyond int64; treat absurdly long minors as invalid too.
  if (!Number.isSafeInteger(minor)) return { value: 'latest', error: 'must be "latest" or "v1.x"' };
  return { value: minor };
}

/** -1 when a is less strict than b, 0 when equal, 1 when stricter (CompareLevels). */
export function compareLevels(a: Level, b: Level): -1 | 0 | 1 {
  if (a === b) return 0;
  const rank = { privileged: 0, baseline: 1, restricted: 2 } as const;
  return rank[a] < rank[b] ? -1 : 1;
}

/** True when a is older than b; latest is newer than every numbered version (Version.Older). */
export function versionOlder(a: PolicyVersion, b: PolicyVersion): boolean {
  if (a === 'latest') return false;
  if (b === 'latest') return true;
  return a < b;
}

export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && a.version === b.version;
}
