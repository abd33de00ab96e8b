import { describe, expect, it } from 'vitest';
import type { SourcedObject } from '../facts/kube-object.ts';
import { analyzeObjects } from './analysis.ts';
import { readNetworkPolicy } from './read-policy.ts';

const sourced = (spec: unknown, metadata: Record<string, unknown> = { name: 'np', namespace: 'x' }): SourcedObject => ({
  object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec } as SourcedObject['object'],
  origin: { kind: 'file', path: 'np.yaml', document: 0, line: 1 },
});

const messages = (spec: unknown, metadata?: Record<string, unknown>): string[] =>
  readNetworkPolicy(sourced(spec, metadata), 'default').problems.map((problem) => problem.message);

describe('validation like the API server', () => {
  it.each([
    ['a peer with no field', { podSelector: {}, ingress: [{ from: [{}] }] }, ['spec.ingress[0].from[0]: Required value: must specify a peer']],
    [
      'ipBlock with a selector',
      { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] },
      ['spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer'],
    ],
    [
      'except outside its cidr',
      { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16', '10.0.0.0/8'] } }] }] },
      [
        'spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a strict subset of `cidr`',
        'spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
      ],
    ],
    [
      'a bad CIDR',
      { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.300/8' } }] }] },
      ['spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.300/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
    ],
    ['an empty cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '' } }] }] }, ['spec.ingress[0].from[0].ipBlock.cidr: Required value']],
    [
      'endPort with a named port',
      { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] },
      ['spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric'],
    ],
    [
      'endPort below port',
      { podSelector: {}, ingress: [{ ports: [{ port: 100, endPort: 90 }] }] },
      ['spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`'],
    ],
    [
      'endPort without port',
      { podSelector: {}, egress: [{ ports: [{ protocol: 'TCP', endPort: 90 }] }] },
      ['spec.egress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified'],
    ],
    [
      'a port out of range and a bad protocol',
      { podSelector: {}, ingress: [{ ports: [{ port: 70000, protocol: 'ICMP' }] }] },
      [
        'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
        'spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
    ],
    [
      'a port number written as a string',
      { podSelector: {}, ingress: [{ ports: [{ port: '80' }] }] },
      ['spec.ingress[0].ports[0].port: Invalid value: "80": must contain at least one letter (a-z)'],
    ],
    [
      'a bad selector operator and In without values',
      { podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }, { key: 'b', operator: 'In' }] } },
      [
        'spec.podSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
        "spec.podSelector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
    [
      'an unknown policy type',
      { podSelector: {}, policyTypes: ['Ingress', 'Outgress'] },
      ['spec.policyTypes[1]: Unsupported value: "Outgress": supported values: "Ingress", "Egress"'],
    ],
    ['no name', { podSelector: {} }, ['metadata.name: Required value: name or generateName is required']],
  ])('%s', (_name, spec, expected) => {
    const metadata = _name === 'no name' ? { namespace: 'x' } : undefined;
    expect(messages(spec, metadata)).toEqual(expected);
  });

  it('reports a list written as a mapping with its field', () => {
    const reading = readNetworkPolicy(sourced({ podSelector: {}, ingress: { from: [] } }), 'default');
    expect(reading.policy).toBeNull();
    expect(reading.problems[0]?.field).toBe('spec.ingress');
  });

  it('accepts host bits in a CIDR (as the API server does) and masks them', () => {
    const reading = readNetworkPolicy(sourced({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.244.1.10/4' } }] }] }), 'default');
    expect(reading.problems).toEqual([]);
    const peer = reading.policy?.egress[0]?.peers?.[0];
    expect(peer?.kind === 'ipBlock' && peer.parsedCidr.hostBitsSet).toBe(true);
  });

  it('leaves an invalid policy out and still analyses the others', () => {
    const analysis = analyzeObjects([
      sourced({ podSelector: {}, ingress: [{ from: [{}] }] }, { name: 'bad', namespace: 'x' }),
      sourced({ podSelector: {}, policyTypes: ['Ingress'] }, { name: 'good', namespace: 'x' }),
    ]);
    expect(analysis.policies.map((policy) => policy.key)).toEqual(['x/good']);
    expect(analysis.problems).toHaveLength(1);
    expect(analysis.problems[0]?.object).toBe('NetworkPolicy x/bad');
  });
});

describe('defaulting like the API server', () => {
  it.each([
    ['no policyTypes and no egress: Ingress only', { podSelector: {} }, { ingress: true, egress: false }],
    ['no policyTypes with egress rules: both', { podSelector: {}, egress: [{}] }, { ingress: true, egress: true }],
    ['no policyTypes with an empty egress list: Ingress only', { podSelector: {}, egress: [] }, { ingress: true, egress: false }],
    ['Egress only', { podSelector: {}, policyTypes: ['Egress'] }, { ingress: false, egress: true }],
  ])('%s', (_name, spec, isolates) => {
    expect(readNetworkPolicy(sourced(spec), 'default').policy?.isolates).toEqual(isolates);
  });

  it('defaults protocol to TCP, empty lists to "everything", and the namespace', () => {
    const policy = readNetworkPolicy(
      sourced({ podSelector: {}, ingress: [{ from: [], ports: [{ port: 53 }] }, { from: null, ports: [] }] }, { name: 'np' }),
      'team',
    ).policy;
    expect(policy?.key).toBe('team/np');
    expect(policy?.namespaceDefaulted).toBe(true);
    expect(policy?.ingress[0]?.peers).toBeNull();
    expect(policy?.ingress[0]?.ports?.[0]).toMatchObject({ protocol: 'TCP', protocolDefaulted: true, port: 53 });
    expect(policy?.ingress[1]?.ports).toBeNull();
  });
});
