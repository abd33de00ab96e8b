import { usageError } from '../core/errors.ts';
import { type Target, targets } from '../core/finding.ts';
import type { Benchmark, CatalogEntry } from './benchmarks/catalog.ts';

/**
 * kube-bench's filters, as pure functions the CLI calls: `--targets master,node,...` (kube-bench's `worker`
 * alias accepted, plus kharden's `host`), `--check 1.2.1,4.2` (only these controls or groups) and
 * `--skip 1.1.1,4.2` (leave these out). Ids and group prefixes both work: `4.2` means every 4.2.x control,
 * `1` the whole section 1, `host` the host group.
 */
export interface ControlFilter {
  targets?: readonly Target[];
  check?: readonly string[];
  skip?: readonly string[];
}

export interface RawFilterOptions {
  targets?: string | readonly string[];
  check?: string | readonly string[];
  skip?: string | readonly string[];
}

/** `--targets master,node` (repeatable, comma-separated) → targets; an unknown name is a usage error. */
export function parseTargets(value: string | readonly string[]): Target[] {
  const names = splitOption(value);
  const parsed: Target[] = [];
  for (const name of names) {
    const target = name === 'worker' ? 'node' : name;
    if (!(targets as readonly string[]).includes(target)) {
      throw usageError(`unknown target "${name}" in --targets: choose from ${targets.join(', ')} (worker means node)`);
    }
    if (!parsed.includes(target as Target)) parsed.push(target as Target);
  }
  if (parsed.length === 0) throw usageError('--targets needs at least one target');
  return parsed;
}

export function parseIdList(value: string | readonly string[], option: string): string[] {
  const ids = splitOption(value);
  if (ids.length === 0) throw usageError(`${option} needs at least one control id`);
  return ids;
}

/** Turns the CLI's raw option values into a filter; unknown ids are checked against a benchmark with validateFilter. */
export function parseControlFilter(options: RawFilterOptions): ControlFilter {
  const filter: ControlFilter = {};
  if (options.targets !== undefined) filter.targets = parseTargets(options.targets);
  if (options.check !== undefined) filter.check = parseIdList(options.check, '--check');
  if (options.skip !== undefined) filter.skip = parseIdList(options.skip, '--skip');
  return filter;
}

/** A usage error for ids in --check or --skip that match no control of the benchmark (a typo must not pass silently). */
export function validateFilter(filter: ControlFilter, benchmark: Benchmark): void {
  for (const [option, ids] of [
    ['--check', filter.check],
    ['--skip', filter.skip],
  ] as const) {
    if (ids === undefined) continue;
    const unknownIds = ids.filter((id) => !benchmark.controls.some((entry) => matchesId(entry.id, id)));
    if (unknownIds.length > 0) {
      throw usageError(`${option} ${unknownIds.join(', ')}: no such control or group in ${benchmark.id}`);
    }
  }
}

/** `4.2.1` matches `4.2.1`, `4.2`, `4` (and not `4.2.10` for `4.2.1`); `host` matches every host control. */
export function matchesId(entryId: string, token: string): boolean {
  return entryId === token || entryId.startsWith(`${token}.`);
}

export interface FilteredControls {
  selected: CatalogEntry[];
  /** Left out by --skip (reported in a notice), or by --check / --targets (not reported). */
  skipped: CatalogEntry[];
}

export function applyControlFilter(entries: readonly CatalogEntry[], filter: ControlFilter): FilteredControls {
  const selected: CatalogEntry[] = [];
  const skipped: CatalogEntry[] = [];
  for (const entry of entries) {
    if (filter.targets !== undefined && !filter.targets.includes(entry.target)) continue;
    if (filter.check !== undefined && !filter.check.some((token) => matchesId(entry.id, token))) continue;
    if (filter.skip !== undefined && filter.skip.some((token) => matchesId(entry.id, token))) {
      skipped.push(entry);
      continue;
    }
    selected.push(entry);
  }
  return { selected, skipped };
}

function splitOption(value: string | readonly string[]): string[] {
  const parts = typeof value === 'string' ? [value] : value;
  return parts
    .flatMap((part) => part.split(','))
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
