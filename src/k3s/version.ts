/**
 * k3s versions: `v1.33.5+k3s1`, `v1.32.4-rc1+k3s1`, as printed by `k3s --version` (`k3s version v1.33.5+k3s1 (abc123)`),
 * in the `Starting k3s v1.33.5+k3s1 (abc123)` log line or stamped into the binary.
 *
 * The k3s revision (`+k3s2`) is build metadata to semver, so semver would call `+k3s1` and `+k3s2` equal;
 * k3s ships real fixes in a new revision, so we compare it numerically ourselves. A pre-release
 * (`-rc1`) sorts before the release, as in semver.
 */
export interface K3sVersion {
  major: number;
  minor: number;
  patch: number;
  /** `rc1` in `v1.32.4-rc1+k3s1`; undefined for a release. */
  prerelease?: string;
  /** The `N` of `+k3sN`; 0 when the version carries no k3s revision (a plain Kubernetes version). */
  k3sRevision: number;
  /** Canonical form: `v1.33.5+k3s1`. */
  text: string;
}

const versionPattern = /v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+?))?(?:\+k3s(\d+))?(?![0-9A-Za-z.])/;

/** Parses the first k3s version in `text`; null when there is none. */
export function parseK3sVersion(text: string): K3sVersion | null {
  const match = versionPattern.exec(text);
  if (match === null) return null;
  const [, major, minor, patch, prerelease, revision] = match;
  if (major === undefined || minor === undefined || patch === undefined) return null;
  const version: K3sVersion = {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    k3sRevision: revision === undefined ? 0 : Number(revision),
    text: '',
  };
  if (prerelease !== undefined && prerelease !== '') version.prerelease = prerelease;
  version.text = formatK3sVersion(version);
  return version;
}

export function formatK3sVersion(version: Omit<K3sVersion, 'text'>): string {
  const pre = version.prerelease === undefined ? '' : `-${version.prerelease}`;
  const revision = version.k3sRevision === 0 ? '' : `+k3s${version.k3sRevision}`;
  return `v${version.major}.${version.minor}.${version.patch}${pre}${revision}`;
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareK3sVersions(a: K3sVersion, b: K3sVersion): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    comparePrerelease(a.prerelease, b.prerelease) ||
    a.k3sRevision - b.k3sRevision
  );
}

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1; // a release sorts after its pre-releases
  if (b === undefined) return -1;
  const left = a.split('.');
  const right = b.split('.');
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const l = left[index];
    const r = right[index];
    if (l === undefined) return -1;
    if (r === undefined) return 1;
    const order = compareIdentifier(l, r);
    if (order !== 0) return order;
  }
  return 0;
}

/** `rc2` < `rc10`: compare the alphabetic prefix, then the trailing number numerically. */
function compareIdentifier(a: string, b: string): number {
  const pa = /^(\D*)(\d*)$/.exec(a);
  const pb = /^(\D*)(\d*)$/.exec(b);
  if (pa !== null && pb !== null) {
    const prefix = (pa[1] ?? '').localeCompare(pb[1] ?? '');
    if (prefix !== 0) return prefix;
    const na = pa[2] === '' ? -1 : Number(pa[2]);
    const nb = pb[2] === '' ? -1 : Number(pb[2]);
    return na - nb;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `version` is at least `major.minor.patch` (any revision of that patch counts). */
export function isAtLeast(version: K3sVersion, major: number, minor: number, patch = 0): boolean {
  const order = version.major - major || version.minor - minor || version.patch - patch;
  if (order !== 0) return order > 0;
  return version.prerelease === undefined; // v1.32.4-rc1 is not yet v1.32.4
}

/** `1.33` for `v1.33.5+k3s1`. */
export function minorLine(version: K3sVersion): string {
  return `${version.major}.${version.minor}`;
}
