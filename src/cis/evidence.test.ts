import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../facts/kube-object.ts';
import { effectiveArgs } from '../k3s/effective-args.ts';
import { nodeFactsFromNode } from '../k3s/node-args.ts';
import { absentArgEvidence } from './evidence.ts';
import { nodeFacts } from './test-node.fixture.ts';

describe('absentArgEvidence: where kharden looked for a flag that is not set', () => {
  it("names the Node's k3s.io/node-args annotation when the arguments come from it", () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'server-1', annotations: { 'k3s.io/node-args': JSON.stringify(['server', '--kube-apiserver-arg', 'anonymous-auth=false']) } },
      status: { nodeInfo: { kubeletVersion: 'v1.34.1+k3s1' } },
    };
    const built = nodeFactsFromNode(node, '2026-01-01T00:00:00Z');
    if ('reason' in built) throw new Error(built.reason);
    const args = effectiveArgs(built.facts, 'running').components['kube-apiserver'];
    expect(absentArgEvidence(args, 'audit-log-path')).toEqual({
      subject: 'kube-apiserver --audit-log-path',
      value: null,
      source: { kind: 'kharden', detail: "kube-apiserver arguments computed from k3s defaults and Node server-1's k3s.io/node-args annotation" },
    });
  });

  it('names k3s defaults and the configuration when there is no log line', () => {
    const args = effectiveArgs(nodeFacts('server'), 'running').components['kube-apiserver'];
    expect(absentArgEvidence(args, 'audit-log-path').source).toEqual({ kind: 'kharden', detail: 'kube-apiserver arguments computed from k3s defaults and the configuration' });
  });
});
