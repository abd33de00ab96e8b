import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type AddressSet,
  addressSetContains,
  addressSetOfCidr,
  addressSetToCidrs,
  addressSetsEqual,
  intersectAddresses,
  isEmptyAddressSet,
  isSubsetOf,
  subtractAddresses,
  unionAddresses,
} from './address-set.ts';
import { type Cidr, type IpAddress, cidrContainsIp, formatCidr, formatIp, parseCidr, parseIp } from './ip-address.ts';

describe('parseIp and parseCidr', () => {
  it.each([
    ['10.244.1.10', 4, 0x0af4010an],
    ['010.001.0.1', 4, 0x0a010001n],
    ['::1', 6, 1n],
    ['2001:db8::', 6, 0x20010db8n << 96n],
    ['::ffff:10.0.0.1', 4, 0x0a000001n],
    ['64:ff9b::10.0.0.1', 6, (0x64n << 112n) | (0xff9bn << 96n) | 0x0a000001n],
  ] as const)('parses %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each(['', '10.0.0', '10.0.0.256', '1.2.3.4.5', ':::', '1::2::3', '12345::', 'fe80::1%eth0', 'a.b.c.d', '1:2:3:4:5:6:7:8:9'])(
    'rejects %j',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );

  it('masks host bits the way Go does and remembers that they were set', () => {
    const cidr = parseCidr('10.244.1.10/4');
    expect(cidr && formatCidr(cidr)).toBe('0.0.0.0/4');
    expect(cidr?.hostBitsSet).toBe(true);
    expect(parseCidr('10.244.0.0/16')?.hostBitsSet).toBe(false);
    expect(parseCidr('10.0.0.0/08')?.prefix).toBe(8);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '::/129', '10.0.0.0/-1', '10.0.0.0/a', 'x/8', '10.0.0.0/ 8'])('rejects the CIDR %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('treats an IPv4-mapped IPv6 CIDR as IPv4, as Go does', () => {
    const cidr = parseCidr('::ffff:10.0.0.0/104');
    expect(cidr && formatCidr(cidr)).toBe('10.0.0.0/8');
    expect(cidr?.ipv4Mapped).toBe(true);
  });

  it('formats IPv6 in RFC 5952 form', () => {
    expect(formatIp(6, 0n)).toBe('::');
    expect(formatIp(6, 1n)).toBe('::1');
    expect(formatIp(6, (0x2001n << 112n) | (0xdb8n << 96n) | 1n)).toBe('2001:db8::1');
    expect(formatIp(6, (1n << 112n) | (1n << 64n))).toBe('1:0:0:1::');
  });

  it('subtracts except blocks and lists the remainder as CIDRs', () => {
    const block = addressSetOfCidr(parseCidr('10.0.0.0/8') as Cidr);
    const hole = addressSetOfCidr(parseCidr('10.1.0.0/16') as Cidr);
    const rest = subtractAddresses(block, hole);
    expect(addressSetContains(rest, parseIp('10.1.2.3') as IpAddress)).toBe(false);
    expect(addressSetContains(rest, parseIp('10.2.2.3') as IpAddress)).toBe(true);
    expect(addressSetToCidrs(rest)).toEqual([
      '10.0.0.0/16',
      '10.2.0.0/15',
      '10.4.0.0/14',
      '10.8.0.0/13',
      '10.16.0.0/12',
      '10.32.0.0/11',
      '10.64.0.0/10',
      '10.128.0.0/9',
    ]);
    expect(addressSetToCidrs(addressSetOfCidr(parseCidr('::/0') as Cidr))).toEqual(['::/0']);
  });
});

// Property tests on a small corner of each family, so that random CIDRs overlap often.
const v4Cidr: fc.Arbitrary<Cidr> = fc
  .record({ prefix: fc.integer({ min: 20, max: 32 }), host: fc.integer({ min: 0, max: 0xfff }) })
  .map(({ prefix, host }) => parseCidr(`${formatIp(4, 0x0a000000n + BigInt(host))}/${prefix}`) as Cidr);
const v6Cidr: fc.Arbitrary<Cidr> = fc
  .record({ prefix: fc.integer({ min: 116, max: 128 }), host: fc.integer({ min: 0, max: 0xfff }) })
  .map(({ prefix, host }) => parseCidr(`${formatIp(6, (0xfd00n << 112n) + BigInt(host))}/${prefix}`) as Cidr);
const cidrArb = fc.oneof(v4Cidr, v6Cidr);
const ipArb: fc.Arbitrary<IpAddress> = fc.oneof(
  fc.integer({ min: 0, max: 0x1fff }).map((n) => ({ family: 4 as const, value: 0x0a000000n + BigInt(n) })),
  fc.integer({ min: 0, max: 0x1fff }).map((n) => ({ family: 6 as const, value: (0xfd00n << 112n) + BigInt(n) })),
);
const blockArb = fc.record({ cidr: cidrArb, except: fc.array(cidrArb, { maxLength: 3 }) });

type Block = { cidr: Cidr; except: Cidr[] };
const naiveInBlock = (block: Block, ip: IpAddress): boolean =>
  cidrContainsIp(block.cidr, ip) && !block.except.some((hole) => cidrContainsIp(hole, ip));
const blockSet = (block: Block): AddressSet =>
  subtractAddresses(addressSetOfCidr(block.cidr), unionAddresses(...block.except.map(addressSetOfCidr)));

describe('address set properties', () => {
  test.prop([blockArb, fc.array(ipArb, { minLength: 30, maxLength: 30 })], { numRuns: 500 })(
    'cidr minus except contains exactly the addresses a direct check accepts',
    (block, ips) => {
      const set = blockSet(block);
      for (const ip of ips) expect(addressSetContains(set, ip)).toBe(naiveInBlock(block, ip));
    },
  );

  test.prop([fc.array(blockArb, { maxLength: 4 }), fc.array(blockArb, { maxLength: 4 }), fc.array(ipArb, { minLength: 30, maxLength: 30 })], {
    numRuns: 300,
  })('union, intersection and difference agree with membership', (lefts, rights, ips) => {
    const left = unionAddresses(...lefts.map(blockSet));
    const right = unionAddresses(...rights.map(blockSet));
    const inLeft = (ip: IpAddress): boolean => lefts.some((block) => naiveInBlock(block, ip));
    const inRight = (ip: IpAddress): boolean => rights.some((block) => naiveInBlock(block, ip));
    for (const ip of ips) {
      expect(addressSetContains(unionAddresses(left, right), ip)).toBe(inLeft(ip) || inRight(ip));
      expect(addressSetContains(intersectAddresses(left, right), ip)).toBe(inLeft(ip) && inRight(ip));
      expect(addressSetContains(subtractAddresses(left, right), ip)).toBe(inLeft(ip) && !inRight(ip));
    }
    expect(isSubsetOf(intersectAddresses(left, right), left)).toBe(true);
    expect(isEmptyAddressSet(subtractAddresses(left, unionAddresses(left, right)))).toBe(true);
  });

  test.prop([fc.array(blockArb, { maxLength: 4 })])('the CIDR listing of a set is the same set', (blocks) => {
    const set = unionAddresses(...blocks.map(blockSet));
    const again = unionAddresses(...addressSetToCidrs(set).map((text) => addressSetOfCidr(parseCidr(text) as Cidr)));
    expect(addressSetsEqual(set, again)).toBe(true);
  });

  test.prop([cidrArb, cidrArb])('containment of CIDRs matches the address ranges', (outer, inner) => {
    const direct =
      outer.family === inner.family && outer.prefix <= inner.prefix && cidrContainsIp(outer, { family: inner.family, value: inner.base });
    expect(isSubsetOf(addressSetOfCidr(inner), addressSetOfCidr(outer))).toBe(direct);
  });

  test.prop([ipArb])('formatting and parsing an address round-trips', (ip) => {
    expect(parseIp(formatIp(ip.family, ip.value))).toEqual(ip);
  });
});
