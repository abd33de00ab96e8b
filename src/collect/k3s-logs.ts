import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { posix as path } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Source } from '../core/source.ts';
import type { Component, LogFacts, RunningLine } from '../facts/node-facts.ts';
import { logTimeMillis, parseK3sLogLine } from '../k3s/log-lines.ts';
import type { RootFs } from './root-fs.ts';

/**
 * Reads k3s's `Running <component>`, `Starting k3s` and datastore lines from every place k3s logs to:
 * journald (units k3s and k3s-agent; under --root the root's persistent /var/log/journal and volatile
 * /run/log/journal), /var/log/k3s.log and k3s-agent.log (OpenRC), and the `--log` file with its rotated,
 * gzipped backups. Every source tried is recorded, read or not, with the reason.
 * Per component the latest line wins (by its own timestamp; within one source, the later line).
 */
export interface LogCollection {
  facts: LogFacts;
  /** `Starting k3s vX` lines seen, latest last. */
  versions: { value: string; source: Source; time?: string }[];
}

export interface LogSourcesInput {
  /** Extra log files named by the configuration (`log: /var/log/k3s/k3s.log`). */
  logFiles: readonly string[];
  /** The journalctl program (tests point it elsewhere); null to skip journald. */
  journalctl?: string | null;
}

interface Candidate {
  line: RunningLine;
  millis: number | null;
  order: number;
}

export async function collectK3sLogs(fs: RootFs, input: LogSourcesInput): Promise<LogCollection> {
  const facts: LogFacts = { sources: [], running: [], datastoreLines: [] };
  const versions: LogCollection['versions'] = [];
  const latest = new Map<Component, Candidate>();
  let order = 0;

  /** Returns the event type seen, so that a reverse reader can stop at the start of the last run. */
  const consume = (text: string, source: Source, reverse = false): string | null => {
    const event = parseK3sLogLine(text);
    if (event === null) return null;
    order += reverse ? -1 : 1;
    const sourced = source;
    if (event.type === 'running') {
      const line: RunningLine = { component: event.component, args: event.args, source: sourced };
      if (event.time !== undefined) line.time = event.time;
      const candidate: Candidate = { line, millis: logTimeMillis(event.time), order };
      const previous = latest.get(event.component);
      if (previous === undefined || isLater(candidate, previous)) latest.set(event.component, candidate);
    } else if (event.type === 'starting') {
      const version = event.time === undefined ? { value: event.version, source: sourced } : { value: event.version, source: sourced, time: event.time };
      if (reverse) versions.unshift(version);
      else versions.push(version);
    } else {
      const line = { text: event.time === undefined ? event.text : `${event.time} ${event.text}`, source: sourced };
      if (reverse) facts.datastoreLines.unshift(line);
      else facts.datastoreLines.push(line);
      if (facts.datastoreLines.length > 20) facts.datastoreLines.shift();
    }
    return event.type;
  };

  const journalctl = input.journalctl === undefined ? 'journalctl' : input.journalctl;
  if (journalctl !== null) {
    const directories = fs.isLive ? [null] : ['/var/log/journal', '/run/log/journal'];
    for (const directory of directories) {
      for (const unit of ['k3s', 'k3s-agent']) {
        const name = directory === null ? `journald unit ${unit}` : `journald unit ${unit} (${directory})`;
        if (directory !== null && !(await fs.exists(directory))) {
          facts.sources.push({ name, read: false, error: { message: `${directory}: no such directory` } });
          continue;
        }
        // Newest first, stopping at the `Starting k3s` line that began the last run which logged its
        // components: a long-lived node's journal holds millions of k3s lines.
        const args = ['--no-pager', '-q', '-r', '-o', 'cat', '-u', unit];
        if (directory === null) args.push('-m');
        else args.push('-D', (await fs.resolve(directory)).hostPath);
        const source: Source = { kind: 'k3s-log', detail: name };
        let sawRunning = false;
        let sawAny = false;
        const result = await runLines(journalctl, args, (text) => {
          sawAny = true;
          const type = consume(text, source, true);
          if (type === 'running') sawRunning = true;
          return type === 'starting' && sawRunning;
        });
        const hidden = directory === null && result.ok && !sawAny && typeof process.getuid === 'function' && process.getuid() !== 0;
        if (hidden) facts.sources.push({ name, read: false, error: { message: 'no entries visible: not running as root, the system journal may be hidden (run kharden as root or in the systemd-journal group)' } });
        else facts.sources.push(result.ok ? { name, read: true } : { name, read: false, error: { message: result.error } });
      }
    }
  }

  const files = [...new Set(['/var/log/k3s.log', '/var/log/k3s-agent.log', ...input.logFiles])];
  for (const file of files) {
    const before = new Set(latest.keys());
    const read = await readLogFile(fs, file, (text, lineNumber, nodePath) => consume(text, { kind: 'k3s-log', path: nodePath, line: lineNumber }));
    facts.sources.push(read.ok ? { name: file, read: true } : { name: file, read: false, error: { message: read.error } });
    if (!read.ok) continue;
    // lumberjack (k3s --log) rotates to <name>-<time>.log.gz: the Running lines of a long-lived k3s may be there.
    const foundHere = [...latest.keys()].some((component) => !before.has(component));
    if (foundHere) continue;
    for (const backup of await rotatedBackups(fs, file)) {
      const backupRead = await readLogFile(fs, backup, (text, lineNumber, nodePath) => consume(text, { kind: 'k3s-log', path: nodePath, line: lineNumber }));
      facts.sources.push(backupRead.ok ? { name: backup, read: true } : { name: backup, read: false, error: { message: backupRead.error } });
      if ([...latest.keys()].some((component) => !before.has(component))) break;
    }
  }

  facts.running = [...latest.values()].map((candidate) => candidate.line).sort((a, b) => (a.component < b.component ? -1 : 1));
  return { facts, versions };
}

function isLater(candidate: Candidate, previous: Candidate): boolean {
  if (candidate.millis !== null && previous.millis !== null && candidate.millis !== previous.millis) return candidate.millis > previous.millis;
  if (candidate.millis !== null && previous.millis === null) return true;
  if (candidate.millis === null && previous.millis !== null) return false;
  return candidate.order > previous.order;
}

type LineSink = (text: string, lineNumber: number, nodePath: string) => void;

async function readLogFile(fs: RootFs, file: string, sink: LineSink): Promise<{ ok: true } | { ok: false; error: string }> {
  const info = await fs.stat(file);
  if (!info.ok) return { ok: false, error: info.error.message };
  if (!info.stats.isFile()) return { ok: false, error: `${file}: not a regular file` };
  return new Promise((resolve) => {
    const stream = createReadStream(info.resolved.hostPath);
    const input = file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
    let lineNumber = 0;
    const lines = createInterface({ input, crlfDelay: Infinity });
    lines.on('line', (text) => {
      lineNumber += 1;
      sink(text, lineNumber, file);
    });
    const fail = (error: unknown) => resolve({ ok: false, error: `${file}: ${error instanceof Error ? error.message : String(error)}` });
    stream.on('error', fail);
    input.on('error', fail);
    lines.on('close', () => resolve({ ok: true }));
  });
}

/** `k3s-2026-05-06T11-05-07.000.log.gz` siblings of `k3s.log`, newest first. */
async function rotatedBackups(fs: RootFs, file: string): Promise<string[]> {
  const directory = path.dirname(file);
  const extension = path.extname(file);
  const stem = path.basename(file, extension);
  const listing = await fs.list(directory);
  if (!listing.ok) return [];
  return listing.entries
    .map((entry) => entry.name)
    .filter((name) => name.startsWith(`${stem}-`) && (name.endsWith(extension) || name.endsWith(`${extension}.gz`)))
    .sort()
    .reverse()
    .map((name) => path.join(directory, name));
}

/** Runs a program and streams its stdout lines until `onLine` returns true (then stops it); never throws. */
function runLines(program: string, args: readonly string[], onLine: (line: string) => boolean | void): Promise<{ ok: true } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ ok: false, error: `${program}: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString('utf8');
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    let stopped = false;
    lines.on('line', (line) => {
      if (stopped) return;
      if (onLine(line) === true) {
        stopped = true;
        lines.close();
        child.kill('SIGTERM');
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ ok: false, error: error.code === 'ENOENT' ? `${program} is not installed` : `${program}: ${error.message}` });
    });
    child.on('close', (code) => {
      if (code === 0 || stopped) resolve({ ok: true });
      else resolve({ ok: false, error: `${program} exited with ${code ?? 'a signal'}${stderr.trim() === '' ? '' : `: ${stderr.trim().split('\n')[0] ?? ''}`}` });
    });
  });
}
