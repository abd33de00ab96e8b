import type { BenchmarkContext } from '../control.ts';

/** Typed access to a catalog entry's parameters; a missing or mistyped one is a catalog bug (the catalog test catches it). */
export function numberParam(benchmark: BenchmarkContext, name: string): number {
  const value = benchmark.params[name];
  if (typeof value !== 'number') throw new Error(`${benchmark.id}: parameter ${name} must be a number`);
  return value;
}

export function stringParam(benchmark: BenchmarkContext, name: string): string {
  const value = benchmark.params[name];
  if (typeof value !== 'string') throw new Error(`${benchmark.id}: parameter ${name} must be a string`);
  return value;
}

export function listParam(benchmark: BenchmarkContext, name: string): readonly string[] {
  const value = benchmark.params[name];
  if (!Array.isArray(value)) throw new Error(`${benchmark.id}: parameter ${name} must be a list`);
  return value as readonly string[];
}
