import type { Benchmark, BenchmarkId } from './catalog.ts';
import { k3sCis110 } from './k3s-cis-1.10.ts';
import { k3sCis111 } from './k3s-cis-1.11.ts';
import { k3sCis112 } from './k3s-cis-1.12.ts';
import { k3sCis19 } from './k3s-cis-1.9.ts';
import { k3sCis20 } from './k3s-cis-2.0.ts';
import { k3sCis21 } from './k3s-cis-2.1.ts';

/** Every benchmark kharden knows, oldest first. */
export const benchmarks: readonly Benchmark[] = [k3sCis19, k3sCis110, k3sCis111, k3sCis112, k3sCis20, k3sCis21];

export function benchmarkById(id: string): Benchmark | undefined {
  return benchmarks.find((benchmark) => benchmark.id === id);
}

export const benchmarkIds: readonly BenchmarkId[] = benchmarks.map((benchmark) => benchmark.id);
