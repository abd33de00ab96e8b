/**
 * IPv4 and IPv6 addresses and CIDRs as numbers (bigint), parsed the way the API server's legacy CIDR
 * fields are (Go's net.ParseCIDR, "sloppy": leading zeros allowed, host bits allowed and masked off).
 */
export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface Cidr {
  family: IpFamily;
  /** The network address (host bits cleared). */
  base: bigint;
  prefix: number;
  /** The text had bits set beyond the prefix (`10.244.1.10/4`): valid, but ambiguous. */
  hostBitsSet: boolean;
  /** The text was an IPv4-mapped IPv6 address (`::ffff:10.0.0.0/104`); Go treats it as IPv4. */
  ipv4Mapped: boolean;
}

export const familyBits = (family: IpFamily): number => (family === 4 ? 32 : 128);

export function familyMax(family: IpFamily): bigint {
  return family === 4 ? 0xffff_ffffn : (1n << 128n) - 1n;
}

function parseIpv4(text: string): bigint | undefined {
  const fields = text.split('.');
  if (fields.length !== 4) return undefined;
  let value = 0n;
  for (const field of fields) {
    if (!/^[0-9]{1,3}$/.test(field)) return undefined;
    const octet = Number(field);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (text.length < 2 || text.includes('%')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index] as string;
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
      groups.push(Number.parseInt(piece, 16));
    }
    return groups;
  };
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

const mappedPrefix = 0xffffn << 32n;

export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    if (value === undefined) return undefined;
    // Go's net.IP treats an IPv4-mapped IPv6 address as the IPv4 address.
    if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffff_ffffn };
    return { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  let prefix = Number(prefixText);
  let family: IpFamily;
  let value: bigint | undefined;
  let ipv4Mapped = false;
  if (addressText.includes(':')) {
    value = parseIpv6(addressText);
    family = 6;
    if (value !== undefined && prefix <= 128 && value >> 32n === 0xffffn && (value & ~0xffff_ffffn) === mappedPrefix) {
      ipv4Mapped = true;
      family = 4;
      value &= 0xffff_ffffn;
      prefix = prefix >= 96 ? prefix - 96 : 0;
    }
  } else {
    value = parseIpv4(addressText);
    family = 4;
  }
  if (value === undefined || (!ipv4Mapped && prefix > familyBits(family))) return undefined;
  const base = value & prefixMask(family, prefix);
  return { family, base, prefix, hostBitsSet: base !== value, ipv4Mapped };
}

export function prefixMask(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(familyBits(family));
  return familyMax(family) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

export function cidrLast(cidr: Pick<Cidr, 'family' | 'base' | 'prefix'>): bigint {
  return cidr.base | ((1n << BigInt(familyBits(cidr.family) - cidr.prefix)) - 1n);
}

export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.family === ip.family && ip.value >= cidr.base && ip.value <= cidrLast(cidr);
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let index = 0; index < 8; ) {
    if (groups[index] !== 0) {
      index++;
      continue;
    }
    let end = index;
    while (end < 8 && groups[end] === 0) end++;
    if (end - index > bestLength) {
      bestStart = index;
      bestLength = end - index;
    }
    index = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatCidr(cidr: Pick<Cidr, 'family' | 'base' | 'prefix'>): string {
  return `${formatIp(cidr.family, cidr.base)}/${cidr.prefix}`;
}

export function formatAddress(ip: IpAddress): string {
  return formatIp(ip.family, ip.value);
}
