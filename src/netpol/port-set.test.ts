import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type PortSet,
  type Protocol,
  allPorts,
  describePorts,
  intersectPorts,
  isAllPorts,
  noPorts,
  portRange,
  portSetContains,
  portSetKey,
  protocols,
  subtractPorts,
  unionPorts,
  wholeProtocol,
} from './port-set.ts';

describe('port sets', () => {
  it('describes sets for people', () => {
    expect(describePorts(allPorts)).toBe('all ports');
    expect(describePorts(noPorts)).toBe('none');
    expect(describePorts(unionPorts(portRange('TCP', 80, 80), portRange('TCP', 81, 81), portRange('UDP', 53, 53)))).toBe('80-81/TCP 53/UDP');
    expect(describePorts(wholeProtocol('SCTP'))).toBe('all SCTP');
    expect(isAllPorts(unionPorts(wholeProtocol('TCP'), wholeProtocol('UDP'), wholeProtocol('SCTP')))).toBe(true);
  });
});

const protocolArb = fc.constantFrom<Protocol>(...protocols);
const rangeArb = fc
  .record({ protocol: protocolArb, from: fc.integer({ min: 1, max: 120 }), length: fc.integer({ min: 0, max: 20 }) })
  .map(({ protocol, from, length }) => portRange(protocol, from, from + length));
const setArb = fc.array(rangeArb, { maxLength: 5 }).map((ranges): PortSet => (ranges.length === 0 ? noPorts : unionPorts(...ranges)));

describe('port set properties', () => {
  const probes = fc.array(fc.record({ protocol: protocolArb, port: fc.integer({ min: 1, max: 150 }) }), { minLength: 25, maxLength: 25 });

  test.prop([fc.array(rangeArb, { maxLength: 5 }), fc.array(rangeArb, { maxLength: 5 }), probes])(
    'union, intersection and difference agree with direct membership',
    (lefts, rights, points) => {
      const left = lefts.length === 0 ? noPorts : unionPorts(...lefts);
      const right = rights.length === 0 ? noPorts : unionPorts(...rights);
      const inAny = (ranges: PortSet[], protocol: Protocol, port: number): boolean =>
        ranges.some((set) => {
          const r = set[protocol];
          return r.length > 0 && port >= (r[0] as number) && port <= (r[1] as number);
        });
      for (const { protocol, port } of points) {
        const l = inAny(lefts, protocol, port);
        const r = inAny(rights, protocol, port);
        expect(portSetContains(left, protocol, port)).toBe(l);
        expect(portSetContains(unionPorts(left, right), protocol, port)).toBe(l || r);
        expect(portSetContains(intersectPorts(left, right), protocol, port)).toBe(l && r);
        expect(portSetContains(subtractPorts(left, right), protocol, port)).toBe(l && !r);
      }
    },
  );

  test.prop([setArb, setArb])('union is commutative and keyed canonically', (left, right) => {
    expect(portSetKey(unionPorts(left, right))).toBe(portSetKey(unionPorts(right, left)));
    expect(portSetKey(intersectPorts(left, allPorts))).toBe(portSetKey(left));
  });
});
