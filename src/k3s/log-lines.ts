import { components, type Component } from '../facts/node-facts.ts';
import { maskArgv, maskUrlCredentials } from './secrets.ts';

/**
 * What kharden reads from k3s's own log: the `Running <component> --a=b ...` line k3s writes (logrus, info
 * level) each time it starts an embedded component, the `Starting k3s vX` line, and the datastore lines.
 * Tolerates every shape these lines take: logfmt (`time="…" level=info msg="…"`, journald and log files),
 * logrus's TTY format (`INFO[0000] Running …`), a journalctl or syslog prefix, `\"` escapes in msg.
 */
export type LogEvent =
  | { type: 'running'; component: Component; args: string[]; time?: string }
  | { type: 'starting'; version: string; time?: string }
  | { type: 'datastore'; text: string; time?: string };

const runningPattern = new RegExp(`^Running (${components.filter((c) => c !== 'etcd').join('|')})(?: (.*))?$`, 's');
const startingPattern = /^Starting k3s (?:agent )?(v\d+\.\d+\.\d+\S*)/;
const datastorePattern =
  /(Managed etcd cluster|Starting etcd|etcd data store connection OK|ETCD server is now running|Configuring sqlite3 database|Configuring (?:mysql|postgres|postgresql) database|Kine available at|Kine listening on|Database tables and indexes are up to date|Joining etcd cluster|Starting embedded etcd)/;

export function parseK3sLogLine(line: string): LogEvent | null {
  if (!line.includes('Running ') && !line.includes('Starting k3s') && !datastorePattern.test(line)) return null;
  const message = logMessage(line);
  if (message === null) return null;
  const time = logTime(line);
  const withTime = <T extends object>(event: T): T & { time?: string } => (time === undefined ? event : { ...event, time });

  const running = runningPattern.exec(message.trim());
  if (running !== null) {
    const component = running[1] as Component;
    return withTime({ type: 'running' as const, component, args: splitLoggedArgs(running[2] ?? '') });
  }
  const starting = startingPattern.exec(message);
  if (starting?.[1] !== undefined) return withTime({ type: 'starting' as const, version: starting[1] });
  if (datastorePattern.test(message)) return withTime({ type: 'datastore' as const, text: maskUrlCredentials(message) });
  return null;
}

/** The message of a logrus line: the logfmt `msg="…"` field, or the text after `INFO[0000]`. */
export function logMessage(line: string): string | null {
  const logfmt = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line);
  if (logfmt?.[1] !== undefined) return unescapeLogfmt(logfmt[1]);
  const tty = /\b(?:TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)\[[^\]]*\]\s+(.*)$/.exec(line);
  if (tty?.[1] !== undefined) return tty[1].trimEnd();
  return null;
}

function unescapeLogfmt(text: string): string {
  return text.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char === 't' ? '\t' : char));
}

/** The line's own time: logrus's `time="…"`, else a journalctl short-iso prefix. */
export function logTime(line: string): string | undefined {
  const logrus = /\btime="([^"]+)"/.exec(line);
  if (logrus?.[1] !== undefined) return logrus[1];
  const iso = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s/.exec(line);
  return iso?.[1];
}

/**
 * Splits the logged argument string into `--flag=value` tokens. k3s joins them with single spaces and does
 * not quote, so a space only separates flags when a `--` follows it; a value with a space stays whole.
 * Secrets (a token passed through by mistake, credentials in a URL) are masked.
 */
export function splitLoggedArgs(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const tokens = trimmed.split(/ (?=--?[A-Za-z])/);
  return maskArgv(tokens).map(maskUrlCredentials);
}

/** `--anonymous-auth=false` → { flag: 'anonymous-auth', value: 'false' }; a bare `--flag` means `true`. */
export function flagOfArg(arg: string): { flag: string; value: string } {
  const body = arg.replace(/^--?/, '');
  const equals = body.indexOf('=');
  return equals === -1 ? { flag: body, value: 'true' } : { flag: body.slice(0, equals), value: body.slice(equals + 1) };
}

/** Milliseconds since the epoch for a log time, or null when it has no date (a TTY `INFO[0042]`). */
export function logTimeMillis(time: string | undefined): number | null {
  if (time === undefined) return null;
  const normalised = time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const millis = Date.parse(normalised);
  return Number.isNaN(millis) ? null : millis;
}
