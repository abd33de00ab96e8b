import type { Control } from './control.ts';
import { nodeControls } from './controls/index.ts';
import type { NodeAuditInput } from './node-input.ts';
import { policyControls } from './policies/index.ts';
import type { ClusterAuditInput } from './policies/input.ts';

/** The implementations the engine can run, by id: node controls (sections 1-4, host) and cluster controls (section 5). */
export interface ControlRegistry {
  node: ReadonlyMap<string, Control<NodeAuditInput>>;
  cluster: ReadonlyMap<string, Control<ClusterAuditInput>>;
}

export function createRegistry(node: readonly Control<NodeAuditInput>[], cluster: readonly Control<ClusterAuditInput>[]): ControlRegistry {
  return { node: byId(node), cluster: byId(cluster) };
}

function byId<Input>(controls: readonly Control<Input>[]): ReadonlyMap<string, Control<Input>> {
  const map = new Map<string, Control<Input>>();
  for (const control of controls) {
    if (map.has(control.id)) throw new Error(`two controls have the id ${control.id}`);
    map.set(control.id, control);
  }
  return map;
}

export const defaultRegistry: ControlRegistry = createRegistry(nodeControls, policyControls);
