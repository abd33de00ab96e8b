/**
 * Three-valued verdicts. `maybe` arises only when an ipBlock meets an endpoint whose address is not known
 * (a workload template, a pod not scheduled yet): it will get an address from the pod range, and the
 * ipBlock covers part of that range. kharden never turns `maybe` into `yes`.
 */
export type Tri = 'yes' | 'no' | 'maybe';

export function triAnd(left: Tri, right: Tri): Tri {
  if (left === 'no' || right === 'no') return 'no';
  if (left === 'yes' && right === 'yes') return 'yes';
  return 'maybe';
}

export function triOr(left: Tri, right: Tri): Tri {
  if (left === 'yes' || right === 'yes') return 'yes';
  if (left === 'no' && right === 'no') return 'no';
  return 'maybe';
}

export const triOf = (value: boolean): Tri => (value ? 'yes' : 'no');
