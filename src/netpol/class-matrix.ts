import type { AddressSet } from './address-set.ts';
import type { NetpolAnalysis } from './analysis.ts';
import type { Endpoint } from './inventory.ts';
import { selectorKey, selectorMatches } from './label-selector.ts';
import type { Direction, NetworkPolicyModel, PodPeer } from './policy-model.ts';
import { type PortSet, PortSetTable, intersectPorts, noPorts, unionPorts } from './port-set.ts';
import type { Allowance } from './pair-evaluation.ts';
import {
  type PortMatcher,
  type RulePart,
  type Semantics,
  addressesMatch,
  ipBlockAddresses,
  isPolicySubject,
  matcherPorts,
  namespaceLabels,
} from './semantics.ts';

/**
 * The reachability matrix computed per class of equivalent endpoints instead of per pod. Two endpoints
 * are equivalent when no policy can tell them apart: same namespace, same values for every label key a
 * selector looks at, same ports for every port name a rule names, inside the same ipBlocks (or both
 * without a known address), and both on or off the host network. The matrix is class x class; a pod
 * pair's answer is its classes' cell (a pod to itself is always allowed).
 */
export interface EndpointClass {
  index: number;
  namespace: string;
  representative: Endpoint;
  members: Endpoint[];
  /** Pods the class stands for (templates count their replicas). */
  pods: number;
}

export interface ClassificationOptions {
  /** Endpoints to classify (default: every pod and template of the inventory). */
  endpoints?: readonly Endpoint[];
  /** Keep endpoints apart when this key differs (for example their workload, to group a matrix by workload). */
  splitBy?: (endpoint: Endpoint) => string;
}

export interface ClassMatrixOptions extends ClassificationOptions {
  /** Classes computed once and shared by several matrices (both semantics use the same classes). */
  classification?: Classification;
  /** Only these source classes (rows) are computed; the others are left empty. */
  rows?: Uint8Array | null;
}

/** The classes of equivalent endpoints, valid for both semantics. */
export interface Classification {
  classes: EndpointClass[];
  classOfEndpoint: Map<Endpoint, number>;
  /** Per class: which named container ports (named in some rule) it declares. */
  portSignature: number[];
  /** Per class: `,id,id,` of the ipBlocks containing its address, or `unknown`. */
  addressSignature: string[];
  /** ipBlock address sets (of both semantics) by key, with their ids. */
  blockIds: Map<string, number>;
  byNamespace: Map<string, EndpointClass[]>;
}

/** Interned (sure, possible) port-set pairs. Id 0 allows nothing, id 1 everything. */
export class AllowanceTable {
  readonly portSets = new PortSetTable();
  private readonly ids = new Map<number, number>();
  readonly sure: number[] = [];
  readonly possible: number[] = [];
  readonly noneId: number;
  readonly allId: number;

  constructor() {
    this.noneId = this.internIds(this.portSets.emptyId, this.portSets.emptyId);
    this.allId = this.internIds(this.portSets.allId, this.portSets.allId);
  }

  internIds(sureId: number, possibleId: number): number {
    const key = sureId * 0x4000000 + possibleId;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.sure.length;
    this.sure.push(sureId);
    this.possible.push(possibleId);
    this.ids.set(key, id);
    return id;
  }

  intern(allowance: Allowance): number {
    return this.internIds(this.portSets.intern(allowance.sure), this.portSets.intern(allowance.possible));
  }

  get(id: number): Allowance {
    return { sure: this.portSets.get(this.sure[id] as number), possible: this.portSets.get(this.possible[id] as number) };
  }
}

interface PeerBits {
  yes: Uint32Array;
  maybe: Uint32Array | null;
}

interface PortSpec {
  id: number;
  matchers: readonly PortMatcher[] | null;
  dependsOnPorts: boolean;
}

interface ProfileGroup {
  spec: PortSpec;
  all: boolean;
  yes: Uint32Array | null;
  maybe: Uint32Array | null;
}

interface Profile {
  id: number;
  groups: ProfileGroup[];
  dependsOnPorts: boolean;
  /** Classes that some group may reach (null: all). */
  candidates: Uint32Array | null;
}

export class ClassMatrix {
  readonly semantics: Semantics;
  readonly classes: EndpointClass[];
  readonly classification: Classification;
  readonly allowances: AllowanceTable;
  /** classes x classes allowance ids, row = source class. */
  readonly cells: Uint32Array;
  /** Per row, the columns whose cell allows something (CSR: rowStart[row]..rowStart[row + 1] in rowColumns). */
  readonly rowStart: Int32Array;
  readonly rowColumns: Int32Array;
  private readonly classOfEndpoint: Map<Endpoint, number>;

  constructor(
    semantics: Semantics,
    classification: Classification,
    allowances: AllowanceTable,
    cells: Uint32Array,
    rowStart: Int32Array,
    rowColumns: Int32Array,
  ) {
    this.semantics = semantics;
    this.classification = classification;
    this.classes = classification.classes;
    this.classOfEndpoint = classification.classOfEndpoint;
    this.allowances = allowances;
    this.cells = cells;
    this.rowStart = rowStart;
    this.rowColumns = rowColumns;
  }

  /** The columns of a row whose cell allows something, ascending. */
  allowingColumns(row: number): Int32Array {
    return this.rowColumns.subarray(this.rowStart[row] as number, this.rowStart[row + 1] as number);
  }

  classOf(endpoint: Endpoint): number {
    const index = this.classOfEndpoint.get(endpoint);
    if (index === undefined) throw new Error(`endpoint ${endpoint.key} is not in the class matrix`);
    return index;
  }

  cellId(fromClass: number, toClass: number): number {
    return this.cells[fromClass * this.classes.length + toClass] as number;
  }

  /** The allowance id between two endpoints, expanding the class cell; a pod to itself allows everything. */
  endpointCellId(from: Endpoint, to: Endpoint): number {
    if (from === to && from.replicas <= 1) return this.allowances.allId;
    return this.cellId(this.classOf(from), this.classOf(to));
  }

  allowance(from: Endpoint, to: Endpoint): Allowance {
    return this.allowances.get(this.endpointCellId(from, to));
  }
}

const words = (n: number): number => (n + 31) >>> 5;
const hasBit = (bits: Uint32Array, index: number): boolean => ((bits[index >>> 5] as number) & (1 << (index & 31))) !== 0;
const setBit = (bits: Uint32Array, index: number): void => {
  bits[index >>> 5] = (bits[index >>> 5] as number) | (1 << (index & 31));
};
function orInto(target: Uint32Array, source: Uint32Array): void {
  for (let index = 0; index < target.length; index++) target[index] = (target[index] as number) | (source[index] as number);
}

export function classifyEndpoints(analysis: NetpolAnalysis, options: ClassificationOptions = {}): Classification {
  const endpoints = (options.endpoints ?? analysis.inventory.endpoints).filter((endpoint) => endpoint.kind !== 'external');

  // What policies can look at (the same under both semantics, except ipBlock address sets: take both).
  const labelKeys = new Set<string>();
  const portNames = new Set<string>();
  const blockAddresses: AddressSet[] = [];
  const blockIds = new Map<string, number>();
  const addKeys = (selector: { matchLabels: Readonly<Record<string, string>>; matchExpressions: readonly { key: string }[] } | null): void => {
    if (selector === null) return;
    for (const key of Object.keys(selector.matchLabels)) labelKeys.add(key);
    for (const requirement of selector.matchExpressions) labelKeys.add(requirement.key);
  };
  for (const policy of analysis.policies) {
    addKeys(policy.podSelector);
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind === 'pods') {
          addKeys(peer.podSelector);
          continue;
        }
        for (const semantics of ['spec', 'kube-router'] as const) {
          const addresses = ipBlockAddresses(peer, semantics);
          const key = addressKey(addresses);
          if (!blockIds.has(key)) {
            blockIds.set(key, blockAddresses.length);
            blockAddresses.push(addresses);
          }
        }
      }
      for (const port of rule.ports ?? []) if (typeof port.port === 'string') portNames.add(`${port.port}/${port.protocol}`);
    }
  }

  const addressSignature = addressSignatures(endpoints, blockAddresses);
  const sortedLabelKeys = [...labelKeys].sort();
  const portSignatureIds = new Map<string, number>();
  const portSignatureOf = (endpoint: Endpoint): number => {
    const key = endpoint.ports
      .filter((port) => port.name !== null && portNames.has(`${port.name}/${port.protocol}`))
      .map((port) => `${port.name}/${port.protocol}/${port.port}`)
      .sort()
      .join(',');
    let id = portSignatureIds.get(key);
    if (id === undefined) {
      id = portSignatureIds.size;
      portSignatureIds.set(key, id);
    }
    return id;
  };

  const classes: EndpointClass[] = [];
  const classPortSignature: number[] = [];
  const classSignature: string[] = [];
  const classByKey = new Map<string, EndpointClass>();
  const classOfEndpoint = new Map<Endpoint, number>();
  for (const endpoint of endpoints) {
    const labels = sortedLabelKeys.map((key) => (Object.hasOwn(endpoint.labels, key) ? `${key}=${endpoint.labels[key]}` : '')).join('\u0001');
    const portSignature = portSignatureOf(endpoint);
    const signature = addressSignature.get(endpoint) ?? 'unknown';
    const split = options.splitBy?.(endpoint) ?? '';
    const key = [endpoint.namespace, labels, portSignature, signature, endpoint.hostNetwork ? 'h' : 'p', split].join('\u0000');
    let found = classByKey.get(key);
    if (found === undefined) {
      found = { index: classes.length, namespace: endpoint.namespace, representative: endpoint, members: [], pods: 0 };
      classes.push(found);
      classPortSignature.push(portSignature);
      classSignature.push(signature);
      classByKey.set(key, found);
    }
    found.members.push(endpoint);
    found.pods += endpoint.replicas;
    classOfEndpoint.set(endpoint, found.index);
  }
  const byNamespace = new Map<string, EndpointClass[]>();
  for (const endpointClass of classes) {
    const list = byNamespace.get(endpointClass.namespace) ?? [];
    list.push(endpointClass);
    byNamespace.set(endpointClass.namespace, list);
  }
  return { classes, classOfEndpoint, portSignature: classPortSignature, addressSignature: classSignature, blockIds, byNamespace };
}

export function buildClassMatrix(analysis: NetpolAnalysis, semantics: Semantics, options: ClassMatrixOptions = {}): ClassMatrix {
  const catalog = analysis.catalog(semantics);
  const context = catalog.context;
  const classification = options.classification ?? classifyEndpoints(analysis, options);
  const { classes, blockIds } = classification;
  const classPortSignature = classification.portSignature;
  const classSignature = classification.addressSignature;
  const classesByNamespace = classification.byNamespace;
  const n = classes.length;
  const width = words(n);

  // Which policies isolate each class.
  const isolating: Record<Direction, NetworkPolicyModel[][]> = {
    ingress: classes.map(() => []),
    egress: classes.map(() => []),
  };
  for (const policy of analysis.policies) {
    for (const endpointClass of classesByNamespace.get(policy.namespace) ?? []) {
      if (!isPolicySubject(endpointClass.representative)) continue;
      if (!selectorMatches(policy.podSelector, endpointClass.representative.labels)) continue;
      if (policy.isolates.ingress) isolating.ingress[endpointClass.index]?.push(policy);
      if (policy.isolates.egress) isolating.egress[endpointClass.index]?.push(policy);
    }
  }

  // Peers as class bitsets, each distinct peer once.
  const namespaceMatches = new Map<string, string[]>();
  const namespacesMatching = (peer: PodPeer, policyNamespace: string): string[] => {
    if (peer.namespaceSelector === null) return [policyNamespace];
    const key = selectorKey(peer.namespaceSelector);
    let found = namespaceMatches.get(key);
    if (found === undefined) {
      const selector = peer.namespaceSelector;
      found = [...classesByNamespace.keys()].filter((namespace) => selectorMatches(selector, namespaceLabels(analysis.inventory, namespace)));
      namespaceMatches.set(key, found);
    }
    return found;
  };
  const peerBitsCache = new Map<string, PeerBits>();
  const unknownAddressTri = new Map<string, 'yes' | 'no' | 'maybe'>();
  const partBits = new Map<RulePart, PeerBits | null>();
  const bitsOfPart = (part: RulePart): PeerBits | null => {
    if (part.peers === null) return null;
    const cached = partBits.get(part);
    if (cached !== undefined) return cached;
    const yes = new Uint32Array(width);
    let maybe: Uint32Array | null = null;
    for (const peer of part.peers) {
      let bits: PeerBits | undefined;
      if (peer.kind === 'pods') {
        const key = `p\u0000${peer.namespaceSelector === null ? `own:${part.policy.namespace}` : selectorKey(peer.namespaceSelector)}\u0000${peer.podSelector === null ? '*' : selectorKey(peer.podSelector)}`;
        bits = peerBitsCache.get(key);
        if (bits === undefined) {
          const peerYes = new Uint32Array(width);
          for (const namespace of namespacesMatching(peer, part.policy.namespace)) {
            for (const endpointClass of classesByNamespace.get(namespace) ?? []) {
              if (!isPolicySubject(endpointClass.representative)) continue;
              if (peer.podSelector === null || selectorMatches(peer.podSelector, endpointClass.representative.labels)) setBit(peerYes, endpointClass.index);
            }
          }
          bits = { yes: peerYes, maybe: null };
          peerBitsCache.set(key, bits);
        }
      } else {
        const addresses = ipBlockAddresses(peer, semantics);
        const addressId = blockIds.get(addressKey(addresses)) as number;
        const key = `b\u0000${addressId}`;
        bits = peerBitsCache.get(key);
        if (bits === undefined) {
          const peerYes = new Uint32Array(width);
          let peerMaybe: Uint32Array | null = null;
          const marker = `,${addressId},`;
          for (const endpointClass of classes) {
            const signature = classSignature[endpointClass.index] as string;
            let tri: 'yes' | 'no' | 'maybe';
            if (signature === 'unknown') {
              const cacheKey = `${addressId}/${endpointClass.representative.hostNetwork ? 'h' : 'p'}`;
              tri = unknownAddressTri.get(cacheKey) ?? addressesMatch(addresses, endpointClass.representative, context.podCidrs);
              unknownAddressTri.set(cacheKey, tri);
            } else {
              tri = signature.includes(marker) ? 'yes' : 'no';
            }
            if (tri === 'yes') setBit(peerYes, endpointClass.index);
            else if (tri === 'maybe') setBit((peerMaybe ??= new Uint32Array(width)), endpointClass.index);
          }
          bits = { yes: peerYes, maybe: peerMaybe };
          peerBitsCache.set(key, bits);
        }
      }
      orInto(yes, bits.yes);
      if (bits.maybe !== null) orInto((maybe ??= new Uint32Array(width)), bits.maybe);
    }
    if (maybe !== null) for (let index = 0; index < width; index++) maybe[index] = (maybe[index] as number) & ~(yes[index] as number);
    const result = { yes, maybe };
    partBits.set(part, result);
    return result;
  };

  // Port specifications, each distinct list of matchers once.
  const specs = new Map<string, PortSpec>();
  const specOf = (part: RulePart): PortSpec => {
    const key = part.ports === null ? 'all' : part.ports.map(matcherKey).join(';');
    let spec = specs.get(key);
    if (spec === undefined) {
      spec = { id: specs.size, matchers: part.ports, dependsOnPorts: part.ports?.some((matcher) => matcher.kind === 'named') ?? false };
      specs.set(key, spec);
    }
    return spec;
  };

  // Profiles: the rule parts that decide one side of a class, grouped by port specification.
  const profiles = new Map<string, Profile>();
  const profileOf: Record<Direction, Int32Array> = { ingress: new Int32Array(n).fill(-1), egress: new Int32Array(n).fill(-1) };
  const profileList: Profile[] = [];
  for (const direction of ['egress', 'ingress'] as const) {
    for (let index = 0; index < n; index++) {
      const policies = isolating[direction][index] as NetworkPolicyModel[];
      if (policies.length === 0) continue;
      const key = `${direction}\u0000${policies.map((policy) => policy.key).join('\u0001')}`;
      let profile = profiles.get(key);
      if (profile === undefined) {
        const byspec = new Map<number, ProfileGroup>();
        for (const policy of policies) {
          for (const part of catalog.parts(policy, direction)) {
            const spec = specOf(part);
            let group = byspec.get(spec.id);
            if (group === undefined) {
              group = { spec, all: false, yes: null, maybe: null };
              byspec.set(spec.id, group);
            }
            const bits = bitsOfPart(part);
            if (bits === null) {
              group.all = true;
              continue;
            }
            orInto((group.yes ??= new Uint32Array(width)), bits.yes);
            if (bits.maybe !== null) orInto((group.maybe ??= new Uint32Array(width)), bits.maybe);
          }
        }
        const groups = [...byspec.values()].filter((group) => group.all || group.yes !== null);
        for (const group of groups) {
          if (group.all) {
            group.yes = null;
            group.maybe = null;
          } else if (group.maybe !== null && group.yes !== null) {
            for (let w = 0; w < width; w++) group.maybe[w] = (group.maybe[w] as number) & ~(group.yes[w] as number);
          }
        }
        let candidates: Uint32Array | null = new Uint32Array(width);
        for (const group of groups) {
          if (group.all) {
            candidates = null;
            break;
          }
          if (group.yes !== null) orInto(candidates, group.yes);
          if (group.maybe !== null) orInto(candidates, group.maybe);
        }
        profile = { id: profileList.length, groups, dependsOnPorts: groups.some((group) => group.spec.dependsOnPorts), candidates };
        profiles.set(key, profile);
        profileList.push(profile);
      }
      profileOf[direction][index] = profile.id;
    }
  }

  // Port sets of a specification towards a destination class.
  const table = new AllowanceTable();
  const portSets = table.portSets;
  const resolved = new Map<number, number>();
  const resolve = (spec: PortSpec, destination: number): PortSet => {
    const key = spec.dependsOnPorts ? spec.id * 0x100000 + (classPortSignature[destination] as number) : spec.id * 0x100000 + 0xfffff;
    let id = resolved.get(key);
    if (id === undefined) {
      const set =
        spec.matchers === null
          ? portSets.get(portSets.allId)
          : unionPorts(noPorts, ...spec.matchers.map((matcher) => matcherPorts(matcher, (classes[destination] as EndpointClass).representative)));
      id = portSets.intern(set);
      resolved.set(key, id);
    }
    return portSets.get(id);
  };
  const sideCache = new Map<number, Map<number, number>>();
  const sideAllowance = (profile: Profile, sureMask: number, possibleMask: number, destination: number, masksKey: string | null): number => {
    const signature = profile.dependsOnPorts ? (classPortSignature[destination] as number) : -1;
    const outerKey = masksKey === null ? (profile.id * 0x8000 + sureMask) * 0x8000 + possibleMask : -1;
    let inner: Map<number, number> | undefined;
    if (masksKey === null) {
      inner = sideCache.get(outerKey);
      const known = inner?.get(signature);
      if (known !== undefined) return known;
    }
    const sure: PortSet[] = [];
    const possible: PortSet[] = [];
    profile.groups.forEach((group, index) => {
      const bit = 1 << index;
      if ((possibleMask & bit) === 0) return;
      const ports = resolve(group.spec, destination);
      possible.push(ports);
      if ((sureMask & bit) !== 0) sure.push(ports);
    });
    const id = table.intern({ sure: unionPorts(noPorts, ...sure), possible: unionPorts(noPorts, ...possible) });
    if (masksKey === null) {
      if (inner === undefined) {
        inner = new Map();
        sideCache.set(outerKey, inner);
      }
      inner.set(signature, id);
    }
    return id;
  };
  const intersections = new Map<number, number>();
  const intersect = (left: number, right: number): number => {
    if (left === table.allId) return right;
    if (right === table.allId) return left;
    const key = left * 0x4000000 + right;
    let id = intersections.get(key);
    if (id === undefined) {
      const a = table.get(left);
      const b = table.get(right);
      id = table.intern({ sure: intersectPorts(a.sure, b.sure), possible: intersectPorts(a.possible, b.possible) });
      intersections.set(key, id);
    }
    return id;
  };

  // One side's allowance id for (subject profile, other class), or the none id.
  const sideFor = (profile: Profile, other: number, destination: number): number => {
    let sureMask = 0;
    let possibleMask = 0;
    const big = profile.groups.length > 15;
    const sureList: number[] = [];
    const possibleList: number[] = [];
    for (let index = 0; index < profile.groups.length; index++) {
      const group = profile.groups[index] as ProfileGroup;
      let sure = group.all;
      let maybe = false;
      if (!sure) {
        sure = group.yes !== null && hasBit(group.yes, other);
        maybe = !sure && group.maybe !== null && hasBit(group.maybe, other);
      }
      if (!sure && !maybe) continue;
      if (big) {
        possibleList.push(index);
        if (sure) sureList.push(index);
      } else {
        possibleMask |= 1 << index;
        if (sure) sureMask |= 1 << index;
      }
    }
    if (!big) return possibleMask === 0 ? table.noneId : sideAllowance(profile, sureMask, possibleMask, destination, null);
    if (possibleList.length === 0) return table.noneId;
    // Many groups: combine without the mask cache.
    const sure: PortSet[] = sureList.map((index) => resolve((profile.groups[index] as ProfileGroup).spec, destination));
    const possible: PortSet[] = possibleList.map((index) => resolve((profile.groups[index] as ProfileGroup).spec, destination));
    return table.intern({ sure: unionPorts(noPorts, ...sure), possible: unionPorts(noPorts, ...possible) });
  };

  const cells = new Uint32Array(n * n); // 0 = noneId
  const rowStart = new Int32Array(n + 1);
  let rowColumns = new Int32Array(Math.max(16, n * 4));
  let used = 0;
  const rows = options.rows ?? null;
  for (let source = 0; source < n; source++) {
    rowStart[source] = used;
    if (rows !== null && rows[source] !== 1) continue;
    const egressProfileId = profileOf.egress[source] as number;
    const egressProfile = egressProfileId < 0 ? null : (profileList[egressProfileId] as Profile);
    const row = source * n;
    const visit = (destination: number): void => {
      const egress = egressProfile === null ? table.allId : sideFor(egressProfile, destination, destination);
      if (egress === table.noneId) return;
      const ingressProfileId = profileOf.ingress[destination] as number;
      const ingress = ingressProfileId < 0 ? table.allId : sideFor(profileList[ingressProfileId] as Profile, source, destination);
      if (ingress === table.noneId) return;
      const id = intersect(egress, ingress);
      if (id === table.noneId) return;
      cells[row + destination] = id;
      if (used === rowColumns.length) {
        const grown = new Int32Array(rowColumns.length * 2);
        grown.set(rowColumns);
        rowColumns = grown;
      }
      rowColumns[used++] = destination;
    };
    const candidates = egressProfile?.candidates ?? null;
    if (egressProfile === null || candidates === null) {
      for (let destination = 0; destination < n; destination++) visit(destination);
    } else {
      for (let w = 0; w < width; w++) {
        let word = candidates[w] as number;
        while (word !== 0) {
          const low = word & -word;
          visit(w * 32 + (31 - Math.clz32(low)));
          word ^= low;
        }
      }
    }
  }
  rowStart[n] = used;
  return new ClassMatrix(semantics, classification, table, cells, rowStart, rowColumns.slice(0, used));
}

function addressKey(set: AddressSet): string {
  const text = (ranges: AddressSet['v4']): string => ranges.map((range) => `${range.lo.toString(16)}-${range.hi.toString(16)}`).join(',');
  return `${text(set.v4)}|${text(set.v6)}`;
}

function matcherKey(matcher: PortMatcher): string {
  switch (matcher.kind) {
    case 'range':
      return `r/${matcher.protocol}/${matcher.from}/${matcher.to}`;
    case 'protocol':
      return `p/${matcher.protocol}`;
    case 'named':
      return `n/${matcher.protocol}/${matcher.name}`;
    case 'fixed-numbers':
      return `f/${matcher.protocol}/${matcher.numbers.join(',')}`;
  }
}

/**
 * For every endpoint with known addresses, the ipBlocks that contain one of them, as `,id,id,` (a sweep
 * over the sorted addresses and block boundaries, so the cost is the number of addresses and boundaries).
 */
function addressSignatures(endpoints: readonly Endpoint[], blocks: readonly AddressSet[]): Map<Endpoint, string> {
  const result = new Map<Endpoint, string>();
  const perFamily = (family: 4 | 6): Map<bigint, string> => {
    const points: Array<{ at: bigint; block: number; delta: 1 | -1 }> = [];
    blocks.forEach((block, id) => {
      for (const range of family === 4 ? block.v4 : block.v6) {
        points.push({ at: range.lo, block: id, delta: 1 });
        points.push({ at: range.hi + 1n, block: id, delta: -1 });
      }
    });
    points.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const addresses = [...new Set(endpoints.flatMap((endpoint) => endpoint.ips.filter((ip) => ip.family === family).map((ip) => ip.value)))].sort(
      (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    );
    const active = new Set<number>();
    const signatures = new Map<bigint, string>();
    let cursor = 0;
    let current: string | null = ',';
    for (const address of addresses) {
      while (cursor < points.length && (points[cursor] as { at: bigint }).at <= address) {
        const point = points[cursor] as { block: number; delta: 1 | -1 };
        if (point.delta === 1) active.add(point.block);
        else active.delete(point.block);
        current = null;
        cursor++;
      }
      current ??= `,${[...active].sort((a, b) => a - b).join(',')}${active.size > 0 ? ',' : ''}`;
      signatures.set(address, current);
    }
    return signatures;
  };
  const v4 = perFamily(4);
  const v6 = perFamily(6);
  for (const endpoint of endpoints) {
    if (endpoint.ips.length === 0) continue;
    const ids = new Set<number>();
    for (const ip of endpoint.ips) {
      const signature = (ip.family === 4 ? v4 : v6).get(ip.value) ?? ',';
      for (const part of signature.split(',')) if (part !== '') ids.add(Number(part));
    }
    result.set(endpoint, `,${[...ids].sort((a, b) => a - b).join(',')}${ids.size > 0 ? ',' : ''}`);
  }
  return result;
}

