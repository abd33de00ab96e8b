import { type Cidr, type IpAddress, type IpFamily, cidrLast, familyBits, familyMax, formatCidr } from './ip-address.ts';

/**
 * A set of IP addresses of both families as sorted, disjoint, non-adjacent inclusive ranges.
 * ipBlock `cidr` minus `except` is one of these; so are the cluster's pod and service ranges.
 */
export interface AddressRange {
  lo: bigint;
  hi: bigint;
}

export interface AddressSet {
  v4: readonly AddressRange[];
  v6: readonly AddressRange[];
}

export const emptyAddressSet: AddressSet = { v4: [], v6: [] };

export function addressSetOfCidr(cidr: Pick<Cidr, 'family' | 'base' | 'prefix'>): AddressSet {
  const range = [{ lo: cidr.base, hi: cidrLast(cidr) }];
  return cidr.family === 4 ? { v4: range, v6: [] } : { v4: [], v6: range };
}

export function addressSetOfIp(ip: IpAddress): AddressSet {
  const range = [{ lo: ip.value, hi: ip.value }];
  return ip.family === 4 ? { v4: range, v6: [] } : { v4: [], v6: range };
}

export function wholeFamily(family: IpFamily): AddressSet {
  const range = [{ lo: 0n, hi: familyMax(family) }];
  return family === 4 ? { v4: range, v6: [] } : { v4: [], v6: range };
}

function normalise(ranges: AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const merged: AddressRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.lo <= last.hi + 1n) {
      if (range.hi > last.hi) merged[merged.length - 1] = { lo: last.lo, hi: range.hi };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

function subtractRanges(from: readonly AddressRange[], remove: readonly AddressRange[]): AddressRange[] {
  const result: AddressRange[] = [];
  let cursor = 0;
  for (const range of from) {
    let lo = range.lo;
    const hi = range.hi;
    while (cursor < remove.length && (remove[cursor] as AddressRange).hi < lo) cursor++;
    let index = cursor;
    while (lo <= hi && index < remove.length && (remove[index] as AddressRange).lo <= hi) {
      const cut = remove[index] as AddressRange;
      if (cut.lo > lo) result.push({ lo, hi: cut.lo - 1n });
      lo = cut.hi + 1n;
      index++;
    }
    if (lo <= hi) result.push({ lo, hi });
  }
  return result;
}

function intersectRanges(left: readonly AddressRange[], right: readonly AddressRange[]): AddressRange[] {
  const result: AddressRange[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const a = left[i] as AddressRange;
    const b = right[j] as AddressRange;
    const lo = a.lo > b.lo ? a.lo : b.lo;
    const hi = a.hi < b.hi ? a.hi : b.hi;
    if (lo <= hi) result.push({ lo, hi });
    if (a.hi < b.hi) i++;
    else j++;
  }
  return result;
}

export function unionAddresses(...sets: AddressSet[]): AddressSet {
  return { v4: normalise(sets.flatMap((set) => set.v4)), v6: normalise(sets.flatMap((set) => set.v6)) };
}

export function subtractAddresses(from: AddressSet, remove: AddressSet): AddressSet {
  return { v4: subtractRanges(from.v4, remove.v4), v6: subtractRanges(from.v6, remove.v6) };
}

export function intersectAddresses(left: AddressSet, right: AddressSet): AddressSet {
  return { v4: intersectRanges(left.v4, right.v4), v6: intersectRanges(left.v6, right.v6) };
}

export function isEmptyAddressSet(set: AddressSet): boolean {
  return set.v4.length === 0 && set.v6.length === 0;
}

export function addressSetContains(set: AddressSet, ip: IpAddress): boolean {
  const ranges = ip.family === 4 ? set.v4 : set.v6;
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle] as AddressRange;
    if (ip.value < range.lo) high = middle - 1;
    else if (ip.value > range.hi) low = middle + 1;
    else return true;
  }
  return false;
}

export function isSubsetOf(inner: AddressSet, outer: AddressSet): boolean {
  return isEmptyAddressSet(subtractAddresses(inner, outer));
}

export function addressSetsEqual(left: AddressSet, right: AddressSet): boolean {
  const same = (a: readonly AddressRange[], b: readonly AddressRange[]): boolean =>
    a.length === b.length && a.every((range, index) => range.lo === b[index]?.lo && range.hi === b[index]?.hi);
  return same(left.v4, right.v4) && same(left.v6, right.v6);
}

/** The smallest list of CIDRs whose union is exactly the set (for display). */
export function addressSetToCidrs(set: AddressSet): string[] {
  const out: string[] = [];
  const emit = (family: IpFamily, ranges: readonly AddressRange[]): void => {
    const bits = familyBits(family);
    for (const range of ranges) {
      let lo = range.lo;
      while (lo <= range.hi) {
        // Largest block aligned at lo that fits in [lo, hi].
        let size = 0;
        while (size < bits) {
          const next = size + 1;
          const blockMask = (1n << BigInt(next)) - 1n;
          if ((lo & blockMask) !== 0n || lo + blockMask > range.hi) break;
          size = next;
        }
        out.push(formatCidr({ family, base: lo, prefix: bits - size }));
        lo += 1n << BigInt(size);
      }
    }
  };
  emit(4, set.v4);
  emit(6, set.v6);
  return out;
}

export function describeAddressSet(set: AddressSet): string {
  const cidrs = addressSetToCidrs(set);
  return cidrs.length === 0 ? 'no addresses' : cidrs.join(', ');
}
