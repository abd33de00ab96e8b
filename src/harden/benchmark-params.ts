import type { Benchmark } from '../cis/benchmarks/catalog.ts';
import type { BenchmarkParams } from './plan.ts';

/** What the plan needs from the benchmark selected for the node's k3s version, read from its catalog. */
export function benchmarkParams(benchmark: Benchmark): BenchmarkParams {
  const mode = (implementation: string, fallback: number): number => {
    const value = benchmark.controls.find((entry) => entry.implementation === implementation)?.params.mode;
    return typeof value === 'number' ? value : fallback;
  };
  return {
    id: benchmark.id,
    title: benchmark.title,
    seccompDefault: benchmark.controls.some((entry) => entry.implementation === 'kubelet.seccomp-default'),
    certMode: mode('pki.cert-files-mode', 0o600),
    clientCaMode: mode('file.kubelet-client-ca.mode', 0o600),
  };
}

/** k3s minors kharden harden knows the hardening guide for: 1.22-1.24 with PodSecurityPolicy, 1.25+ with Pod Security Admission. */
export const supportedMinors = { from: 22, to: 37 } as const;
