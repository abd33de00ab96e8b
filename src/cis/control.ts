import type { Verdict } from '../core/finding.ts';

/**
 * A CIS control (or kharden host check) implementation: metadata that never changes between benchmarks,
 * and a pure function of its input. What a control is called and how the benchmark words it per version
 * lives in the benchmark catalogs (cis/benchmarks/); a catalog entry names the implementation by id.
 *
 * `Input` is the view the control reads: node controls read a NodeAuditInput (node facts + effective
 * args), policy controls (section 5) read a ClusterAuditInput (cluster objects).
 */
export interface Control<Input> {
  /** CIS id (`1.2.1`) or kharden id (`host.kernel.vm.overcommit_memory`). */
  id: string;
  /** What it reads, for docs and for `--explain`: `kube-apiserver --anonymous-auth`, `RoleBindings`, ... */
  reads: readonly string[];
  check: (input: Input, benchmark: BenchmarkContext) => Verdict;
}

/** What a control may know about the benchmark it runs under, so that one implementation serves every version. */
export interface BenchmarkContext {
  id: string;
  /** Per-benchmark parameters of a control, from its catalog entry (for example `{ certMode: 0o644 }`). */
  params: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export function defineControl<Input>(control: Control<Input>): Control<Input> {
  return control;
}
