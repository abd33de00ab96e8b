import { canonicalFlagName, isBoolFlag, k3sFlag } from './flags.ts';

/**
 * Parses a k3s command line (`server --token x --kube-apiserver-arg=a=b -c /etc/k3s.yaml`) the way k3s's
 * urfave/cli does: `--name=value`, `--name value`, one-dash short aliases (`-c FILE`), boolean flags that
 * take no separate value (`--cluster-init`, `--cluster-init=false`), `--` ending the flags.
 * Pure: no masking here (see secrets.ts), so that a caller can decide what to keep.
 */
export interface ParsedFlag {
  /** Canonical name without dashes (`config` for `-c`). */
  name: string;
  value: string;
  /** Index of the flag's token in the argv given. */
  index: number;
}

export interface ParsedK3sArgv {
  subcommand: 'server' | 'agent' | null;
  /** Any other subcommand (`kubectl`, `etcd-snapshot`, ...): not a k3s daemon. */
  otherCommand: string | null;
  flags: ParsedFlag[];
  positional: string[];
}

const daemonCommands = new Set(['server', 'agent']);

export function parseK3sArgv(argv: readonly string[]): ParsedK3sArgv {
  const result: ParsedK3sArgv = { subcommand: null, otherCommand: null, flags: [], positional: [] };
  let flagsEnded = false;
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] ?? '';
    if (flagsEnded || !token.startsWith('-') || token === '-') {
      const first = result.subcommand === null && result.otherCommand === null && result.positional.length === 0;
      if (first && !flagsEnded && daemonCommands.has(token)) result.subcommand = token as 'server' | 'agent';
      else if (first && !flagsEnded && /^[a-z][a-z0-9-]*$/.test(token)) result.otherCommand = token;
      else result.positional.push(token);
      continue;
    }
    if (token === '--') {
      flagsEnded = true;
      continue;
    }
    const body = token.replace(/^--?/, '');
    const equals = body.indexOf('=');
    const rawName = equals === -1 ? body : body.slice(0, equals);
    const name = canonicalFlagName(rawName);
    if (equals !== -1) {
      result.flags.push({ name, value: body.slice(equals + 1), index });
      continue;
    }
    if (isBoolFlag(name)) {
      result.flags.push({ name, value: 'true', index });
      continue;
    }
    const next = argv[index + 1];
    const known = k3sFlag(name) !== undefined;
    if (next !== undefined && (known || !next.startsWith('-'))) {
      result.flags.push({ name, value: next, index });
      index += 1;
      continue;
    }
    // An unknown flag with nothing after it: k3s would refuse it; keep it as a bare switch.
    result.flags.push({ name, value: 'true', index });
  }
  return result;
}

/** Renders flags back to argv (`--name=value`), the form k3s's config-file parser produces. */
export function renderFlags(flags: readonly { name: string; value: string }[]): string[] {
  return flags.map((flag) => `${flag.name.length === 1 ? '-' : '--'}${flag.name}=${flag.value}`);
}
