import type { SourcedObject } from '../facts/kube-object.ts';
import { type AddressSet, addressSetOfCidr, unionAddresses } from './address-set.ts';
import type { InputProblem } from './input-problem.ts';
import { type Inventory, buildInventory, withNamespaces } from './inventory.ts';
import { parseCidr } from './ip-address.ts';
import type { NetworkPolicyModel } from './policy-model.ts';
import { readNetworkPolicy } from './read-policy.ts';
import { type Semantics, RulePartCatalog } from './semantics.ts';

/**
 * Everything the netpol commands work from: the inventory, the valid policies (after defaulting), the
 * problems met while reading, and the cluster's pod and service ranges. Built once; pure.
 */
export interface NetpolOptions {
  /** Namespace of objects without metadata.namespace. Default `default`. */
  defaultNamespace?: string;
  /** The cluster's pod CIDRs (k3s `--cluster-cidr`, default 10.42.0.0/16). */
  clusterCidrs?: readonly string[];
  /** The cluster's service CIDRs (k3s `--service-cidr`, default 10.43.0.0/16). */
  serviceCidrs?: readonly string[];
}

export const k3sDefaultClusterCidr = '10.42.0.0/16';
export const k3sDefaultServiceCidr = '10.43.0.0/16';

export interface NetpolAnalysis {
  inventory: Inventory;
  policies: readonly NetworkPolicyModel[];
  policiesByNamespace: ReadonlyMap<string, readonly NetworkPolicyModel[]>;
  problems: readonly InputProblem[];
  clusterCidrs: readonly string[];
  serviceCidrs: readonly string[];
  podAddresses: AddressSet;
  serviceAddresses: AddressSet;
  catalog: (semantics: Semantics) => RulePartCatalog;
  defaultNamespace: string;
}

export function parseCidrList(texts: readonly string[], what: string): AddressSet {
  return unionAddresses(
    ...texts.map((text) => {
      const cidr = parseCidr(text.trim());
      if (cidr === undefined) throw new CidrOptionError(`${what} ${JSON.stringify(text)} is not a CIDR (e.g. 10.42.0.0/16)`);
      return addressSetOfCidr(cidr);
    }),
  );
}

export class CidrOptionError extends Error {
  override readonly name = 'CidrOptionError';
}

export function analyzeObjects(objects: readonly SourcedObject[], options: NetpolOptions = {}): NetpolAnalysis {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const clusterCidrs = options.clusterCidrs ?? [k3sDefaultClusterCidr];
  const serviceCidrs = options.serviceCidrs ?? [k3sDefaultServiceCidr];
  const podAddresses = parseCidrList(clusterCidrs, 'cluster CIDR');
  const serviceAddresses = parseCidrList(serviceCidrs, 'service CIDR');
  const problems: InputProblem[] = [];

  const byKey = new Map<string, NetworkPolicyModel>();
  for (const sourced of objects) {
    if (sourced.object.kind !== 'NetworkPolicy') continue;
    const reading = readNetworkPolicy(sourced, defaultNamespace);
    problems.push(...reading.problems);
    if (reading.policy === null) continue;
    const previous = byKey.get(reading.policy.key);
    if (previous !== undefined) {
      problems.push({
        object: `NetworkPolicy ${reading.policy.key}`,
        message: 'appears more than once in the input',
        origin: reading.policy.origin,
        consequence: 'the last one replaces the earlier ones, as kubectl apply would',
      });
    }
    byKey.set(reading.policy.key, reading.policy);
  }
  const policies = [...byKey.values()];
  const base = buildInventory(objects, { defaultNamespace });
  const inventory = withNamespaces(base, policies.map((policy) => policy.namespace));
  problems.push(...inventory.problems);
  const policiesByNamespace = new Map<string, NetworkPolicyModel[]>();
  for (const policy of policies) {
    const list = policiesByNamespace.get(policy.namespace) ?? [];
    list.push(policy);
    policiesByNamespace.set(policy.namespace, list);
  }
  const catalogs = new Map<Semantics, RulePartCatalog>();
  const catalog = (semantics: Semantics): RulePartCatalog => {
    let found = catalogs.get(semantics);
    if (found === undefined) {
      found = new RulePartCatalog({ inventory, podCidrs: podAddresses, semantics });
      catalogs.set(semantics, found);
    }
    return found;
  };
  return {
    inventory,
    policies,
    policiesByNamespace,
    problems,
    clusterCidrs,
    serviceCidrs,
    podAddresses,
    serviceAddresses,
    catalog,
    defaultNamespace,
  };
}
