import type { BenchmarkChoice } from '../../core/audit-report.ts';
import { usageError } from '../../core/errors.ts';
import type { Benchmark } from './catalog.ts';
import { benchmarkById, benchmarks } from './index.ts';

export interface SelectedBenchmark {
  benchmark: Benchmark;
  choice: BenchmarkChoice;
}

/** `v1.33.1+k3s1`, `1.33.1+k3s1`, `k3s version v1.33.1+k3s1 (abcdef)`, `v1.33` → 33; anything else → null. */
export function k3sMinor(version: string | null | undefined): number | null {
  if (version === null || version === undefined) return null;
  const match = /v?1\.(\d+)(?:\.\d+)?/.exec(version);
  if (match === null || match[1] === undefined) return null;
  return Number(match[1]);
}

/**
 * The benchmark for a k3s version, as the brief's table says: 1.27 → 1.9, 1.28 → 1.10, 1.29-1.31 → 1.11,
 * 1.32-1.33 → 1.12, 1.34-1.35 → 2.0, 1.36-1.37 → 2.1. Older or newer minors get the nearest benchmark and a
 * note; an unknown version gets the newest and a note. `--benchmark` overrides all of it.
 */
export function selectBenchmark(k3sVersion: string | null | undefined, override?: string): SelectedBenchmark {
  const minor = k3sMinor(k3sVersion);
  if (override !== undefined) return selectByFlag(override, minor);

  if (minor === null) {
    const newest = lastBenchmark();
    const why = k3sVersion === null || k3sVersion === undefined ? 'the k3s version is unknown' : `the k3s version "${k3sVersion}" could not be read`;
    return choose(newest, 'default', `${why}: using the newest benchmark, ${newest.id}; choose another with --benchmark`);
  }
  const exact = benchmarks.find((benchmark) => minor >= benchmark.k3sMinors.from && minor <= benchmark.k3sMinors.to);
  if (exact !== undefined) return choose(exact, 'k3s-version');

  const oldest = firstBenchmark();
  if (minor < oldest.k3sMinors.from) {
    return choose(oldest, 'nearest', `kharden has no k3s benchmark for k3s 1.${minor}; using the nearest, ${oldest.id} (for k3s 1.${oldest.k3sMinors.from})`);
  }
  const newest = lastBenchmark();
  return choose(newest, 'nearest', `k3s 1.${minor} is newer than every benchmark kharden knows; using the nearest, ${newest.id} (for k3s 1.${newest.k3sMinors.from}-1.${newest.k3sMinors.to})`);
}

/** Accepts `k3s-cis-1.12`, `cis-1.12` and `1.12`. */
export function parseBenchmarkId(value: string): Benchmark {
  const trimmed = value.trim();
  const id = trimmed.startsWith('k3s-cis-') ? trimmed : trimmed.startsWith('cis-') ? `k3s-${trimmed}` : `k3s-cis-${trimmed}`;
  const benchmark = benchmarkById(id);
  if (benchmark === undefined) {
    throw usageError(`unknown benchmark "${value}": choose one of ${benchmarks.map((known) => known.id).join(', ')}`);
  }
  return benchmark;
}

function selectByFlag(override: string, minor: number | null): SelectedBenchmark {
  const benchmark = parseBenchmarkId(override);
  if (minor === null) return choose(benchmark, 'flag');
  const natural = selectBenchmark(`v1.${minor}`).benchmark;
  if (natural.id === benchmark.id) return choose(benchmark, 'flag');
  return choose(benchmark, 'flag', `k3s 1.${minor} would use ${natural.id}`);
}

function choose(benchmark: Benchmark, selectedBy: BenchmarkChoice['selectedBy'], note?: string): SelectedBenchmark {
  const choice: BenchmarkChoice = { id: benchmark.id, title: benchmark.title, selectedBy };
  if (note !== undefined) choice.note = note;
  return { benchmark, choice };
}

function firstBenchmark(): Benchmark {
  const first = benchmarks[0];
  if (first === undefined) throw new Error('no benchmarks');
  return first;
}

function lastBenchmark(): Benchmark {
  const last = benchmarks[benchmarks.length - 1];
  if (last === undefined) throw new Error('no benchmarks');
  return last;
}
