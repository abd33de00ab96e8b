import { posix as path } from 'node:path';
import type { Launch } from '../facts/node-facts.ts';
import { parseK3sArgv } from '../k3s/argv.ts';
import { maskArgv, maskVariableValue } from '../k3s/secrets.ts';
import type { RootFs } from './root-fs.ts';

/**
 * Finds the running k3s daemon in ROOT/proc: a process whose argv[0] is the k3s binary and whose first
 * argument is `server` or `agent` (not `k3s kubectl …`). k3s rewrites its process title to `k3s server`
 * to hide its arguments, so the argv is often just that; its environment (/proc/PID/environ) still tells
 * K3S_* settings. When k3s re-executes itself to log to a file, the child (`_K3S_LOG_REEXEC_`) is the daemon.
 */
export interface FoundProcess {
  launch: Launch;
  role: 'server' | 'agent';
  /** Set when the process environment names a config file (K3S_CONFIG_FILE). */
  configFile?: string;
}

const environmentPrefixes = ['K3S_', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

export async function findK3sProcess(fs: RootFs): Promise<FoundProcess | null> {
  const proc = await fs.list('/proc');
  if (!proc.ok) return null;
  const candidates: { pid: number; argv: string[]; reexec: boolean; environ: string[] }[] = [];
  for (const entry of proc.entries) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    const cmdline = await fs.readText(`/proc/${pid}/cmdline`, 1024 * 1024);
    if (!cmdline.ok || cmdline.text === '') continue;
    const argv = splitCmdline(cmdline.text);
    const program = argv[0];
    if (program === undefined || path.basename(program) !== 'k3s') continue;
    const parsed = parseK3sArgv(argv.slice(1));
    if (parsed.subcommand === null) continue;
    const environ = await fs.readText(`/proc/${pid}/environ`, 1024 * 1024);
    const variables = environ.ok ? environ.text.split('\0').filter((item) => item !== '') : [];
    candidates.push({ pid, argv, reexec: variables.some((item) => item.startsWith('_K3S_LOG_REEXEC_=')), environ: variables });
  }
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => Number(b.reexec) - Number(a.reexec) || a.pid - b.pid);
  const chosen = candidates[0] as (typeof candidates)[number];
  const parsed = parseK3sArgv(chosen.argv.slice(1));
  const environment = chosen.environ
    .map((item) => {
      const at = item.indexOf('=');
      return { name: item.slice(0, at), value: item.slice(at + 1) };
    })
    .filter((item) => environmentPrefixes.some((prefix) => item.name.startsWith(prefix)))
    .map((item) => ({
      name: item.name,
      value: maskVariableValue(item.name, item.value),
      source: { kind: 'cmdline' as const, path: `/proc/${chosen.pid}/environ`, detail: item.name },
    }));
  const launch: Launch = {
    source: { kind: 'cmdline', path: `/proc/${chosen.pid}/cmdline` },
    argv: maskArgv(chosen.argv.slice(1)),
    pid: chosen.pid,
    environment,
  };
  const binary = await exeOf(fs, chosen.pid, chosen.argv[0] as string);
  if (binary !== null) launch.binary = binary;
  const startedAt = await processStart(fs, chosen.pid);
  if (startedAt !== null) launch.startedAt = startedAt;
  const found: FoundProcess = { launch, role: parsed.subcommand as 'server' | 'agent' };
  const configVariable = chosen.environ.find((item) => item.startsWith('K3S_CONFIG_FILE='));
  if (configVariable !== undefined) found.configFile = configVariable.slice('K3S_CONFIG_FILE='.length);
  return found;
}

/** NUL-separated argv; a rewritten process title comes back as one space-separated string. */
export function splitCmdline(text: string): string[] {
  const parts = text.split('\0').filter((part, index, all) => part !== '' || index < all.length - 1);
  const nonEmpty = parts.filter((part) => part !== '');
  if (nonEmpty.length === 1 && /\s/.test(nonEmpty[0] as string)) return (nonEmpty[0] as string).trim().split(/\s+/);
  return nonEmpty;
}

async function exeOf(fs: RootFs, pid: number, argv0: string): Promise<string | null> {
  const resolved = await fs.resolve(`/proc/${pid}/exe`);
  if (resolved.followed && resolved.nodePath !== `/proc/${pid}/exe`) return resolved.nodePath.replace(/ \(deleted\)$/, '');
  return argv0.startsWith('/') ? argv0 : null;
}

/** Start time from /proc/PID/stat (field 22, clock ticks since boot) and btime in /proc/stat. */
async function processStart(fs: RootFs, pid: number): Promise<string | null> {
  const stat = await fs.readText(`/proc/${pid}/stat`);
  const system = await fs.readText('/proc/stat');
  if (!stat.ok || !system.ok) return null;
  const afterName = stat.text.slice(stat.text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(afterName[19]);
  const btime = Number(/^btime (\d+)$/m.exec(system.text)?.[1]);
  if (!Number.isFinite(ticks) || !Number.isFinite(btime)) return null;
  const clockTicksPerSecond = 100; // USER_HZ on every Linux architecture k3s ships for
  return new Date((btime + ticks / clockTicksPerSecond) * 1000).toISOString();
}
