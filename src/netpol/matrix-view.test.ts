import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { analyzeObjects } from './analysis.ts';
import { type MatrixGrouping, buildMatrixView, groupKey } from './matrix-view.ts';
import { pairAllowance } from './pair-evaluation.ts';
import { type PortSet, isAllPorts, isEmptyPortSet, noPorts, portSetContains, portSetKey, unionPorts } from './port-set.ts';
import { randomClusterArb } from './random-cluster.fixture.ts';

describe('matrix views', () => {
  test.prop([randomClusterArb, fc.constantFrom<MatrixGrouping>('namespace', 'workload', 'pod'), fc.boolean()], { numRuns: 200 })(
    'grouped counts and port sets equal a direct count over pod pairs',
    (objects, by, k3s) => {
      const analysis = analyzeObjects(objects);
      const probes = [
        { port: 80, protocol: 'TCP' as const },
        { port: 53, protocol: 'UDP' as const },
      ];
      const semantics = k3s ? 'kube-router' : 'spec';
      const view = buildMatrixView(analysis, { by, probes, semantics });
      // Expand templates into their replicas: pod pairs between distinct pods.
      type Pod = { endpoint: (typeof analysis.inventory.endpoints)[number]; replica: number };
      const pods: Pod[] = analysis.inventory.endpoints.flatMap((endpoint) => Array.from({ length: endpoint.replicas }, (_, replica) => ({ endpoint, replica })));
      const expected = new Map<string, { pairs: number; all: number; some: number; none: number; undecided: number; sure: PortSet; possible: PortSet; allowed: number[]; denied: number[]; differs: boolean }>();
      for (const from of pods) {
        for (const to of pods) {
          if (from.endpoint === to.endpoint && from.replica === to.replica) continue;
          const key = `${groupKey(by, from.endpoint)} -> ${groupKey(by, to.endpoint)}`;
          const entry = expected.get(key) ?? { pairs: 0, all: 0, some: 0, none: 0, undecided: 0, sure: noPorts, possible: noPorts, allowed: [0, 0], denied: [0, 0], differs: false };
          const allowance = pairAllowance(analysis, semantics, from.endpoint, to.endpoint === from.endpoint && from.endpoint.kind === 'workload' ? { ...to.endpoint } : to.endpoint);
          entry.pairs += 1;
          const other = pairAllowance(analysis, k3s ? 'spec' : 'kube-router', from.endpoint, to.endpoint);
          if (portSetKey(other.sure) !== portSetKey(allowance.sure) || portSetKey(other.possible) !== portSetKey(allowance.possible)) entry.differs = true;
          if (isAllPorts(allowance.sure)) entry.all += 1;
          else if (!isEmptyPortSet(allowance.sure)) entry.some += 1;
          else if (isEmptyPortSet(allowance.possible)) entry.none += 1;
          else entry.undecided += 1;
          entry.sure = unionPorts(entry.sure, allowance.sure);
          entry.possible = unionPorts(entry.possible, allowance.possible);
          probes.forEach((probe, index) => {
            if (portSetContains(allowance.sure, probe.protocol, probe.port)) entry.allowed[index] = (entry.allowed[index] ?? 0) + 1;
            else if (!portSetContains(allowance.possible, probe.protocol, probe.port)) entry.denied[index] = (entry.denied[index] ?? 0) + 1;
          });
          expected.set(key, entry);
        }
      }
      view.labels.forEach((fromLabel, row) => {
        view.labels.forEach((toLabel, column) => {
          const cell = view.cell(row, column);
          const entry = expected.get(`${fromLabel} -> ${toLabel}`);
          if (cell.self) return;
          expect([fromLabel, toLabel, cell.pairs, cell.allPorts, cell.somePorts, cell.noPorts, cell.undecided, portSetKey(cell.sure), portSetKey(cell.possible)]).toEqual([
            fromLabel,
            toLabel,
            entry?.pairs ?? 0,
            entry?.all ?? 0,
            entry?.some ?? 0,
            entry?.none ?? 0,
            entry?.undecided ?? 0,
            portSetKey(entry?.sure ?? noPorts),
            portSetKey(entry?.possible ?? noPorts),
          ]);
          expect([fromLabel, toLabel, cell.k3sDiffers]).toEqual([fromLabel, toLabel, entry?.differs ?? false]);
          expect(cell.probes.map((counts) => [counts.allowed, counts.denied])).toEqual(probes.map((_, index) => [entry?.allowed[index] ?? 0, entry?.denied[index] ?? 0]));
        });
      });
    },
  );
});
