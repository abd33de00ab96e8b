import { describe, expect, it } from 'vitest';
import { flagOfArg, logTimeMillis, parseK3sLogLine, splitLoggedArgs } from './log-lines.ts';

describe('parseK3sLogLine', () => {
  it.each([
    [
      'journald -o cat (logfmt)',
      'time="2026-05-06T11:05:07+02:00" level=info msg="Running kubelet --cloud-provider=external --config-dir=/var/lib/rancher/k3s/agent/etc/kubelet.conf.d --node-labels= --read-only-port=0"',
      { type: 'running', component: 'kubelet', args: ['--cloud-provider=external', '--config-dir=/var/lib/rancher/k3s/agent/etc/kubelet.conf.d', '--node-labels=', '--read-only-port=0'], time: '2026-05-06T11:05:07+02:00' },
    ],
    [
      'journalctl short prefix',
      'Aug 09 19:06:17 server-0 k3s[2357]: time="2024-08-09T19:06:17Z" level=info msg="Running kube-scheduler --bind-address=127.0.0.1 --profiling=false"',
      { type: 'running', component: 'kube-scheduler', args: ['--bind-address=127.0.0.1', '--profiling=false'], time: '2024-08-09T19:06:17Z' },
    ],
    [
      'logrus TTY format',
      'INFO[0004] Running kube-proxy --proxy-mode=iptables',
      { type: 'running', component: 'kube-proxy', args: ['--proxy-mode=iptables'] },
    ],
    [
      'escaped quotes in msg',
      'time="2022-02-21T23:13:24.847339487Z" level=info msg="Running kube-apiserver --node-labels=\\"a=b\\" --profiling=false"',
      { type: 'running', component: 'kube-apiserver', args: ['--node-labels="a=b"', '--profiling=false'], time: '2022-02-21T23:13:24.847339487Z' },
    ],
    ['the version line', 'time="2026-10-06T18:17:50Z" level=info msg="Starting k3s v1.34.1+k3s1 (13d1ba3e)"', { type: 'starting', version: 'v1.34.1+k3s1', time: '2026-10-06T18:17:50Z' }],
    ['an agent version line', 'time="2026-10-06T18:17:50Z" level=info msg="Starting k3s agent v1.31.6+k3s1 (8c2b0191)"', { type: 'starting', version: 'v1.31.6+k3s1', time: '2026-10-06T18:17:50Z' }],
    ['a datastore line', 'time="2026-10-06T18:17:50Z" level=info msg="Managed etcd cluster bootstrap already complete and initialized"', { type: 'datastore', text: 'Managed etcd cluster bootstrap already complete and initialized', time: '2026-10-06T18:17:50Z' }],
  ])('%s', (_name, line, expected) => {
    expect(parseK3sLogLine(line)).toEqual(expected);
  });

  it('ignores klog lines and other messages', () => {
    expect(parseK3sLogLine('I0506 11:05:07.673366   72179 server.go:521] "Kubelet version" kubeletVersion="v1.35.4+k3s1"')).toBeNull();
    expect(parseK3sLogLine('time="2026-10-06T18:17:50Z" level=info msg="Running load balancer k3s-agent-load-balancer"')).toBeNull();
  });

  it('masks secrets that reach a logged argument', () => {
    expect(splitLoggedArgs('--etcd-servers=https://root:hunter2@db:2379 --token=abc')).toEqual(['--etcd-servers=https://********@db:2379', '--token=********']);
  });

  it('splits on a space only before the next flag', () => {
    expect(splitLoggedArgs('--node-labels=role=edge zone=a --x=y')).toEqual(['--node-labels=role=edge zone=a', '--x=y']);
    expect(flagOfArg('--anonymous-auth=false')).toEqual({ flag: 'anonymous-auth', value: 'false' });
    expect(flagOfArg('--enable-foo')).toEqual({ flag: 'enable-foo', value: 'true' });
  });

  it('reads log times with offsets', () => {
    expect(logTimeMillis('2026-05-06T11:05:07+02:00')).toBe(Date.parse('2026-05-06T09:05:07Z'));
    expect(logTimeMillis('2026-05-06T11:05:07+0200')).toBe(Date.parse('2026-05-06T09:05:07Z'));
    expect(logTimeMillis(undefined)).toBeNull();
  });
});
