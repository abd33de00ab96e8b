import type { NetpolAnalysis } from './analysis.ts';
import { type ClassMatrix, type Classification, buildClassMatrix, classifyEndpoints } from './class-matrix.ts';
import { type Endpoint, workloadKey } from './inventory.ts';
import { type Semantics, isolatingPolicies } from './semantics.ts';
import { type PortSet, type Protocol, isAllPorts, isEmptyPortSet, noPorts, portSetContains, unionPorts } from './port-set.ts';

/**
 * The reachability matrix as shown to people: by pod, by workload or by namespace, either as the set
 * of ports allowed between each pair, or as allow/deny for given ports. Grouped cells count pod pairs
 * (a pod to itself is left out). Where k3s (kube-router) would answer differently, the cell says so.
 */
export type MatrixGrouping = 'pod' | 'workload' | 'namespace';

export interface PortProbe {
  port: number;
  protocol: Protocol;
}

export interface ProbeCount {
  allowed: number;
  denied: number;
  undecided: number;
}

export interface MatrixCell {
  /** Pod pairs the cell stands for (0 for a pod to itself). */
  pairs: number;
  /** A pod to itself: always allowed. */
  self: boolean;
  /** Pairs allowed on every port, on some ports, on none; undecided: no port sure but some possible. */
  allPorts: number;
  somePorts: number;
  noPorts: number;
  undecided: number;
  /** Ports surely allowed for at least one pair, and possibly allowed. */
  sure: PortSet;
  possible: PortSet;
  /** Per probed port, in the order of MatrixView.probes. */
  probes: ProbeCount[];
  /** k3s (kube-router) answers differently for at least one pair. */
  k3sDiffers: boolean;
}

export interface MatrixView {
  by: MatrixGrouping;
  semantics: Semantics;
  labels: readonly string[];
  probes: readonly PortProbe[] | null;
  /** Whether a k3s comparison was needed (some policy uses a construct kube-router enforces differently). */
  k3sCompared: boolean;
  classes: number;
  pods: number;
  cell: (row: number, column: number) => MatrixCell;
}

export interface MatrixViewOptions {
  by: MatrixGrouping;
  probes?: readonly PortProbe[] | null;
  /** Only these namespaces' endpoints (rows and columns). */
  namespaces?: readonly string[] | null;
  /** Whose answers the cells give: the specification's (default) or k3s's (kube-router). */
  semantics?: Semantics;
}

/** Whether any policy uses something kube-router enforces differently (egress named ports, an IPv6 /0 ipBlock). */
export function mayDeviateOnK3s(analysis: NetpolAnalysis): boolean {
  return analysis.policies.some(
    (policy) =>
      policy.egress.some((rule) => rule.ports?.some((port) => typeof port.port === 'string') ?? false) ||
      [...policy.ingress, ...policy.egress].some(
        (rule) => rule.peers?.some((peer) => peer.kind === 'ipBlock' && peer.parsedCidr.family === 6 && peer.parsedCidr.prefix === 0) ?? false,
      ),
  );
}

/**
 * The source classes whose answers can differ between the specification and k3s: those whose egress
 * policies have a rule kube-router enforces differently; every row when an ingress rule has an IPv6 /0
 * ipBlock (it changes columns).
 */
export function deviatingRows(analysis: NetpolAnalysis, classification: Classification): Uint8Array | null {
  const ingressDeviates = analysis.policies.some((policy) =>
    policy.ingress.some((rule) => rule.peers?.some((peer) => peer.kind === 'ipBlock' && peer.parsedCidr.family === 6 && peer.parsedCidr.prefix === 0) ?? false),
  );
  if (ingressDeviates) return null;
  const catalog = analysis.catalog('kube-router');
  const deviating = new Set(
    analysis.policies.filter(
      (policy) =>
        catalog.parts(policy, 'egress').some((part) => part.deviation !== null) ||
        policy.egress.some((rule) => rule.peers?.some((peer) => peer.kind === 'ipBlock' && peer.parsedCidr.family === 6 && peer.parsedCidr.prefix === 0) ?? false),
    ),
  );
  const rows = new Uint8Array(classification.classes.length);
  for (const endpointClass of classification.classes) {
    if (isolatingPolicies(analysis.policiesByNamespace, endpointClass.representative, 'egress').some((policy) => deviating.has(policy))) rows[endpointClass.index] = 1;
  }
  return rows;
}

export function groupKey(by: MatrixGrouping, endpoint: Endpoint): string {
  switch (by) {
    case 'pod':
      return endpoint.key;
    case 'namespace':
      return endpoint.namespace;
    case 'workload':
      return endpoint.workload === null ? endpoint.key : workloadKey(endpoint.namespace, endpoint.workload);
  }
}

interface AllowanceSummary {
  category: 'all' | 'some' | 'none' | 'undecided';
  probes: Array<'allowed' | 'denied' | 'undecided'>;
}

export function buildMatrixView(analysis: NetpolAnalysis, options: MatrixViewOptions): MatrixView {
  const probes = options.probes ?? null;
  const namespaces = options.namespaces ?? null;
  const endpoints = analysis.inventory.endpoints.filter((endpoint) => namespaces === null || namespaces.includes(endpoint.namespace));
  const splitBy = options.by === 'workload' ? (endpoint: Endpoint) => groupKey('workload', endpoint) : undefined;
  const matrixOptions = splitBy === undefined ? { endpoints } : { endpoints, splitBy };
  const primary = options.semantics ?? 'spec';
  const classification = classifyEndpoints(analysis, matrixOptions);
  const spec = buildClassMatrix(analysis, primary, { classification });
  const k3sCompared = mayDeviateOnK3s(analysis);
  // The other semantics, on the rows where it can differ, to mark the cells where the specification
  // and k3s disagree. Its allowance ids are re-expressed in the primary table to compare as integers.
  const rows = k3sCompared ? deviatingRows(analysis, classification) : null;
  const k3s = k3sCompared ? buildClassMatrix(analysis, primary === 'spec' ? 'kube-router' : 'spec', { classification, rows }) : null;
  const k3sInSpec = k3s === null ? null : k3s.allowances.sure.map((_, id) => spec.allowances.intern(k3s.allowances.get(id)));
  const n = spec.classes.length;
  const differsCells = new Uint8Array(k3s === null ? 0 : n * n);
  if (k3s !== null && k3sInSpec !== null) {
    for (let row = 0; row < n; row++) {
      if (rows !== null && rows[row] !== 1) continue;
      for (const matrix of [spec, k3s]) {
        for (const column of matrix.allowingColumns(row)) {
          if (k3sInSpec[k3s.cellId(row, column)] !== spec.cellId(row, column)) differsCells[row * n + column] = 1;
        }
      }
    }
  }

  const summaries: AllowanceSummary[] = [];
  const summary = (id: number): AllowanceSummary => {
    let found = summaries[id];
    if (found === undefined) {
      const { sure, possible } = spec.allowances.get(id);
      const category = isAllPorts(sure) ? 'all' : !isEmptyPortSet(sure) ? 'some' : isEmptyPortSet(possible) ? 'none' : 'undecided';
      found = {
        category,
        probes: (probes ?? []).map((probe) =>
          portSetContains(sure, probe.protocol, probe.port) ? 'allowed' : portSetContains(possible, probe.protocol, probe.port) ? 'undecided' : 'denied',
        ),
      };
      summaries[id] = found;
    }
    return found;
  };
  const emptyCell = (): MatrixCell => ({
    pairs: 0,
    self: false,
    allPorts: 0,
    somePorts: 0,
    noPorts: 0,
    undecided: 0,
    sure: noPorts,
    possible: noPorts,
    probes: (probes ?? []).map(() => ({ allowed: 0, denied: 0, undecided: 0 })),
    k3sDiffers: false,
  });
  const addPairs = (cell: MatrixCell, id: number, count: number, differs: boolean): void => {
    if (count <= 0) return;
    const found = summary(id);
    cell.pairs += count;
    if (found.category === 'all') cell.allPorts += count;
    else if (found.category === 'some') cell.somePorts += count;
    else if (found.category === 'none') cell.noPorts += count;
    else cell.undecided += count;
    found.probes.forEach((verdict, index) => {
      const counts = cell.probes[index] as ProbeCount;
      counts[verdict] += count;
    });
    const allowance = spec.allowances.get(id);
    cell.sure = unionPorts(cell.sure, allowance.sure);
    cell.possible = unionPorts(cell.possible, allowance.possible);
    cell.k3sDiffers ||= differs;
  };
  const differsAt = (fromClass: number, toClass: number): boolean => differsCells.length > 0 && differsCells[fromClass * n + toClass] === 1;
  const pods = endpoints.reduce((sum, endpoint) => sum + endpoint.replicas, 0);

  if (options.by === 'pod') {
    const sorted = [...endpoints].sort((a, b) => a.key.localeCompare(b.key));
    return {
      by: 'pod',
      semantics: primary,
      labels: sorted.map((endpoint) => endpoint.key),
      probes,
      k3sCompared,
      classes: spec.classes.length,
      pods,
      cell: (row, column) => {
        const from = sorted[row] as Endpoint;
        const to = sorted[column] as Endpoint;
        const cell = emptyCell();
        if (from === to && from.replicas <= 1) {
          cell.self = true;
          return cell;
        }
        const fromClass = spec.classOf(from);
        const toClass = spec.classOf(to);
        const id = spec.cellId(fromClass, toClass);
        const count = from === to ? from.replicas * (from.replicas - 1) : from.replicas * to.replicas;
        addPairs(cell, id, count, differsAt(fromClass, toClass));
        return cell;
      },
    };
  }

  // Grouped: every class lies in one group (namespace, or workload via splitBy). Counts accumulate in
  // typed arrays and port sets as interned ids, so the cost is one pass over class pairs.
  const labels = [...new Set(spec.classes.map((endpointClass) => groupKey(options.by, endpointClass.representative)))].sort();
  const groupIndex = new Map(labels.map((label, index) => [label, index]));
  const classGroup = spec.classes.map((endpointClass) => groupIndex.get(groupKey(options.by, endpointClass.representative)) as number);
  const size = labels.length;
  const probeCount = probes?.length ?? 0;
  const counts = new Float64Array(size * size * 5);
  const probeCounts = new Float64Array(size * size * probeCount * 3);
  const sureIds = new Int32Array(size * size).fill(spec.allowances.portSets.emptyId);
  const possibleIds = new Int32Array(size * size).fill(spec.allowances.portSets.emptyId);
  const differs = new Uint8Array(size * size);
  const portSets = spec.allowances.portSets;
  const unions = new Map<number, number>();
  const union = (left: number, right: number): number => {
    if (left === right || right === portSets.emptyId) return left;
    if (left === portSets.emptyId) return right;
    const key = left * 0x4000000 + right;
    let id = unions.get(key);
    if (id === undefined) {
      id = portSets.intern(unionPorts(portSets.get(left), portSets.get(right)));
      unions.set(key, id);
    }
    return id;
  };
  const categoryIndex = { all: 1, some: 2, none: 3, undecided: 4 } as const;
  const probeIndex = { allowed: 0, denied: 1, undecided: 2 } as const;
  // Totals per group pair (pod pairs, a pod to itself left out); then only the cells that allow something.
  const groupPods = new Float64Array(size);
  const groupSelf = new Float64Array(size);
  for (const endpointClass of spec.classes) {
    const group = classGroup[endpointClass.index] as number;
    groupPods[group] = (groupPods[group] as number) + endpointClass.pods;
    groupSelf[group] = (groupSelf[group] as number) + endpointClass.pods;
  }
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const total = (groupPods[row] as number) * (groupPods[column] as number) - (row === column ? (groupSelf[row] as number) : 0);
      counts[(row * size + column) * 5] = total;
    }
  }
  for (let from = 0; from < n; from++) {
    const fromPods = spec.classes[from]?.pods ?? 0;
    const rowBase = (classGroup[from] as number) * size;
    for (const to of spec.allowingColumns(from)) {
      const toPods = spec.classes[to]?.pods ?? 0;
      const count = from === to ? fromPods * (fromPods - 1) : fromPods * toPods;
      if (count === 0) continue;
      const id = spec.cellId(from, to);
      const cellIndex = rowBase + (classGroup[to] as number);
      const found = summary(id);
      counts[cellIndex * 5 + categoryIndex[found.category]] = (counts[cellIndex * 5 + categoryIndex[found.category]] as number) + count;
      for (let probe = 0; probe < probeCount; probe++) {
        const verdict = found.probes[probe];
        if (verdict === 'denied' || verdict === undefined) continue;
        const at = (cellIndex * probeCount + probe) * 3 + probeIndex[verdict];
        probeCounts[at] = (probeCounts[at] as number) + count;
      }
      sureIds[cellIndex] = union(sureIds[cellIndex] as number, spec.allowances.sure[id] as number);
      possibleIds[cellIndex] = union(possibleIds[cellIndex] as number, spec.allowances.possible[id] as number);
    }
  }
  if (differsCells.length > 0) {
    for (let from = 0; from < n; from++) {
      if (rows !== null && rows[from] !== 1) continue;
      const rowBase = (classGroup[from] as number) * size;
      for (let to = 0; to < n; to++) {
        if (differsCells[from * n + to] !== 1) continue;
        const pods = (spec.classes[from]?.pods ?? 0) * ((spec.classes[to]?.pods ?? 0) - (from === to ? 1 : 0));
        if (pods > 0) differs[rowBase + (classGroup[to] as number)] = 1;
      }
    }
  }
  // What is not counted allows nothing.
  for (let cellIndex = 0; cellIndex < size * size; cellIndex++) {
    const base = cellIndex * 5;
    counts[base + 3] = (counts[base] as number) - (counts[base + 1] as number) - (counts[base + 2] as number) - (counts[base + 4] as number);
    for (let probe = 0; probe < probeCount; probe++) {
      const at = (cellIndex * probeCount + probe) * 3;
      probeCounts[at + 1] = (counts[base] as number) - (probeCounts[at] as number) - (probeCounts[at + 2] as number);
    }
  }
  return {
    by: options.by,
    semantics: primary,
    labels,
    probes,
    k3sCompared,
    classes: n,
    pods,
    cell: (row, column) => {
      const cellIndex = row * size + column;
      const base = cellIndex * 5;
      return {
        pairs: counts[base] as number,
        self: false,
        allPorts: counts[base + 1] as number,
        somePorts: counts[base + 2] as number,
        noPorts: counts[base + 3] as number,
        undecided: counts[base + 4] as number,
        sure: portSets.get(sureIds[cellIndex] as number),
        possible: portSets.get(possibleIds[cellIndex] as number),
        probes: Array.from({ length: probeCount }, (_, probe) => {
          const at = (cellIndex * probeCount + probe) * 3;
          return { allowed: probeCounts[at] as number, denied: probeCounts[at + 1] as number, undecided: probeCounts[at + 2] as number };
        }),
        k3sDiffers: differs[cellIndex] === 1,
      };
    },
  };
}

export type { ClassMatrix };
