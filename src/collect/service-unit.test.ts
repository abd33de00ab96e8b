import { describe, expect, it } from 'vitest';
import { parseEnvironmentFile, parseOpenrcScript, parseSystemdUnit, splitWords } from './service-unit.ts';

describe('parseSystemdUnit', () => {
  const unit = `[Unit]
Description=Lightweight Kubernetes

[Service]
Type=notify
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-/etc/systemd/system/k3s.service.env
Environment="K3S_KUBECONFIG_MODE=644" GOMAXPROCS=2
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStart=/usr/local/bin/k3s \\
    server \\
\t'--write-kubeconfig-mode' \\
\t'644' \\
\t'--node-label' \\
\t"zone=edge a" \\

`;

  it('reads ExecStart (continuations, quotes), EnvironmentFile (%N) and Environment', () => {
    const parsed = parseSystemdUnit([unit], 'k3s.service');
    expect(parsed.execStart).toEqual({ argv: ['/usr/local/bin/k3s', 'server', '--write-kubeconfig-mode', '644', '--node-label', 'zone=edge a'], line: 10 });
    expect(parsed.environmentFiles).toEqual([
      { path: '/etc/default/k3s', optional: true, line: 6 },
      { path: '/etc/systemd/system/k3s.service.env', optional: true, line: 7 },
    ]);
    expect(parsed.environment).toEqual([
      { name: 'K3S_KUBECONFIG_MODE', value: '644', line: 8 },
      { name: 'GOMAXPROCS', value: '2', line: 8 },
    ]);
  });

  it('a drop-in resets ExecStart with an empty assignment and sets a new one', () => {
    const dropIn = '[Service]\nExecStart=\nExecStart=/opt/bin/k3s agent --server https://10.0.0.1:6443\n';
    expect(parseSystemdUnit([unit, dropIn], 'k3s.service').execStart?.argv).toEqual(['/opt/bin/k3s', 'agent', '--server', 'https://10.0.0.1:6443']);
  });
});

describe('environment files and OpenRC', () => {
  it('parses KEY=VALUE files with quotes and comments', () => {
    expect(parseEnvironmentFile('# k3s\nK3S_TOKEN="abc def"\nexport K3S_URL=https://s:6443\n\nNOT A LINE\n')).toEqual([
      { name: 'K3S_TOKEN', value: 'abc def', line: 2 },
      { name: 'K3S_URL', value: 'https://s:6443', line: 3 },
    ]);
  });

  it('reads the install script\'s OpenRC command_args and its log redirect', () => {
    const script = `#!/sbin/openrc-run
supervisor=supervise-daemon
name=k3s
command="/usr/local/bin/k3s"
command_args="server \\
    '--disable' \\
    'traefik' \\
    >>/var/log/k3s.log 2>&1"
output_log=/var/log/k3s.log
`;
    expect(parseOpenrcScript(script)).toEqual({ command: '/usr/local/bin/k3s', exec: { argv: ['/usr/local/bin/k3s', 'server', '--disable', 'traefik'], line: 5 }, logFile: '/var/log/k3s.log' });
  });

  it('splits words like a shell', () => {
    expect(splitWords(`a 'b c' "d \\"e\\"" f\\ g`)).toEqual(['a', 'b c', 'd "e"', 'f g']);
  });
});
