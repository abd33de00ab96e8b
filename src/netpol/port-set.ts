/**
 * Sets of (protocol, port) pairs: for each of TCP, UDP and SCTP a sorted list of disjoint,
 * non-adjacent inclusive port ranges within 1..65535. What a rule allows towards one destination,
 * and what a connection is allowed on, are both port sets.
 */
export const protocols = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof protocols)[number];

export const minPort = 1;
export const maxPort = 65535;

/** Flat [lo0, hi0, lo1, hi1, ...] per protocol. */
export type PortRanges = readonly number[];

export interface PortSet {
  TCP: PortRanges;
  UDP: PortRanges;
  SCTP: PortRanges;
}

export const noPorts: PortSet = { TCP: [], UDP: [], SCTP: [] };
export const allPorts: PortSet = { TCP: [minPort, maxPort], UDP: [minPort, maxPort], SCTP: [minPort, maxPort] };

export function isProtocol(value: string): value is Protocol {
  return (protocols as readonly string[]).includes(value);
}

export function portRange(protocol: Protocol, from: number, to: number): PortSet {
  const lo = Math.max(from, minPort);
  const hi = Math.min(to, maxPort);
  const ranges = lo <= hi ? [lo, hi] : [];
  return { ...noPorts, [protocol]: ranges };
}

export function wholeProtocol(protocol: Protocol): PortSet {
  return portRange(protocol, minPort, maxPort);
}

function mergeRanges(ranges: readonly number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let index = 0; index < ranges.length; index += 2) pairs.push([ranges[index] as number, ranges[index + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] as number) + 1) {
      if (hi > (out[last] as number)) out[last] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

function intersectRanges(left: PortRanges, right: PortRanges): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const lo = Math.max(left[i] as number, right[j] as number);
    const hi = Math.min(left[i + 1] as number, right[j + 1] as number);
    if (lo <= hi) out.push(lo, hi);
    if ((left[i + 1] as number) < (right[j + 1] as number)) i += 2;
    else j += 2;
  }
  return out;
}

export function unionPorts(...sets: PortSet[]): PortSet {
  if (sets.length === 1) return sets[0] as PortSet;
  return {
    TCP: mergeRanges(sets.flatMap((set) => set.TCP)),
    UDP: mergeRanges(sets.flatMap((set) => set.UDP)),
    SCTP: mergeRanges(sets.flatMap((set) => set.SCTP)),
  };
}

export function intersectPorts(left: PortSet, right: PortSet): PortSet {
  return {
    TCP: intersectRanges(left.TCP, right.TCP),
    UDP: intersectRanges(left.UDP, right.UDP),
    SCTP: intersectRanges(left.SCTP, right.SCTP),
  };
}

export function subtractPorts(from: PortSet, remove: PortSet): PortSet {
  const complement = (ranges: PortRanges): number[] => {
    const out: number[] = [];
    let next = minPort;
    for (let index = 0; index < ranges.length; index += 2) {
      if ((ranges[index] as number) > next) out.push(next, (ranges[index] as number) - 1);
      next = (ranges[index + 1] as number) + 1;
    }
    if (next <= maxPort) out.push(next, maxPort);
    return out;
  };
  return {
    TCP: intersectRanges(from.TCP, complement(remove.TCP)),
    UDP: intersectRanges(from.UDP, complement(remove.UDP)),
    SCTP: intersectRanges(from.SCTP, complement(remove.SCTP)),
  };
}

export function portSetContains(set: PortSet, protocol: Protocol, port: number): boolean {
  const ranges = set[protocol];
  for (let index = 0; index < ranges.length; index += 2) {
    if (port < (ranges[index] as number)) return false;
    if (port <= (ranges[index + 1] as number)) return true;
  }
  return false;
}

export function isEmptyPortSet(set: PortSet): boolean {
  return set.TCP.length === 0 && set.UDP.length === 0 && set.SCTP.length === 0;
}

export function isAllPorts(set: PortSet): boolean {
  return protocols.every((protocol) => set[protocol].length === 2 && set[protocol][0] === minPort && set[protocol][1] === maxPort);
}

export function portSetsEqual(left: PortSet, right: PortSet): boolean {
  return portSetKey(left) === portSetKey(right);
}

export function isPortSubset(inner: PortSet, outer: PortSet): boolean {
  return isEmptyPortSet(subtractPorts(inner, outer));
}

const keys = new WeakMap<PortSet, string>();

/** Canonical text, also the interning key: `TCP:80,8000-8080;UDP:53`. */
export function portSetKey(set: PortSet): string {
  const known = keys.get(set);
  if (known !== undefined) return known;
  const key = computeKey(set);
  keys.set(set, key);
  return key;
}

function computeKey(set: PortSet): string {
  return protocols
    .filter((protocol) => set[protocol].length > 0)
    .map((protocol) => `${protocol}:${rangesText(set[protocol])}`)
    .join(';');
}

function rangesText(ranges: PortRanges): string {
  const parts: string[] = [];
  for (let index = 0; index < ranges.length; index += 2) {
    const lo = ranges[index] as number;
    const hi = ranges[index + 1] as number;
    parts.push(lo === hi ? String(lo) : `${lo}-${hi}`);
  }
  return parts.join(',');
}

/** For people: `all ports`, `none`, `80,443/TCP 53/UDP`, `all TCP`. */
export function describePorts(set: PortSet): string {
  if (isAllPorts(set)) return 'all ports';
  if (isEmptyPortSet(set)) return 'none';
  return protocols
    .filter((protocol) => set[protocol].length > 0)
    .map((protocol) => {
      const ranges = set[protocol];
      if (ranges.length === 2 && ranges[0] === minPort && ranges[1] === maxPort) return `all ${protocol}`;
      return `${rangesText(ranges)}/${protocol}`;
    })
    .join(' ');
}

/**
 * Interns port sets so that a matrix cell can hold a small integer. Id 0 is the empty set, id 1 all ports.
 */
export class PortSetTable {
  private readonly ids = new Map<string, number>();
  readonly sets: PortSet[] = [];
  readonly emptyId: number;
  readonly allId: number;

  constructor() {
    this.emptyId = this.intern(noPorts);
    this.allId = this.intern(allPorts);
  }

  intern(set: PortSet): number {
    const key = portSetKey(set);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.sets.length;
    this.sets.push(set);
    this.ids.set(key, id);
    return id;
  }

  get(id: number): PortSet {
    const set = this.sets[id];
    if (set === undefined) throw new Error(`unknown port set id ${id}`);
    return set;
  }
}
