/**
 * Pure parsers for how k3s is started: systemd units (what the install script writes: ExecStart with
 * quoted, backslash-continued arguments; EnvironmentFile=-/etc/systemd/system/k3s.service.env), their
 * environment files, and OpenRC init scripts (`command_args="server ..." >>/var/log/k3s.log 2>&1`).
 */
export interface UnitExec {
  /** The program and its arguments, unquoted. */
  argv: string[];
  /** 1-based line where the ExecStart= (or command_args=) starts. */
  line: number;
}

export interface SystemdUnit {
  execStart: UnitExec | null;
  environmentFiles: { path: string; optional: boolean; line: number }[];
  environment: { name: string; value: string; line: number }[];
}

/** Joins backslash-continued lines, keeping the line number where each logical line starts. */
function logicalLines(text: string, commentChars: string): { text: string; line: number }[] {
  const lines = text.split(/\r?\n/);
  const result: { text: string; line: number }[] = [];
  let buffer: string | null = null;
  let start = 0;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (buffer === null && (trimmed === '' || commentChars.includes(trimmed[0] ?? ''))) return;
    if (buffer !== null && commentChars.includes(trimmed[0] ?? '')) return; // comments inside a continuation are skipped
    const continued = /\\$/.test(raw);
    const part = continued ? raw.replace(/\\$/, '') : raw;
    if (buffer === null) {
      buffer = part;
      start = index + 1;
    } else {
      buffer += ` ${part}`;
    }
    if (!continued) {
      result.push({ text: buffer, line: start });
      buffer = null;
    }
  });
  if (buffer !== null) result.push({ text: buffer, line: start });
  return result;
}

/** Splits a command line into words the way systemd (and a POSIX shell, for these cases) does. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && index + 1 < text.length) current += text[++index] as string;
      else current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
      continue;
    }
    if (char === '\\' && index + 1 < text.length) {
      current += text[++index] as string;
      inWord = true;
      continue;
    }
    if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    current += char;
    inWord = true;
  }
  if (inWord) words.push(current);
  return words;
}

/** Parses a systemd unit plus its drop-ins (in order); a later `ExecStart=` replaces, an empty one resets. */
export function parseSystemdUnit(texts: readonly string[], unitName: string): SystemdUnit {
  const unit: SystemdUnit = { execStart: null, environmentFiles: [], environment: [] };
  const baseName = unitName.replace(/\.service$/, '');
  const expand = (value: string) => value.replace(/%N/g, baseName).replace(/%n/g, unitName).replace(/%%/g, '%');
  for (const text of texts) {
    let section = '';
    for (const { text: line, line: number } of logicalLines(text, '#;')) {
      const trimmed = line.trim();
      const header = /^\[(.+)\]$/.exec(trimmed);
      if (header !== null) {
        section = header[1] ?? '';
        continue;
      }
      if (section !== 'Service') continue;
      const equals = trimmed.indexOf('=');
      if (equals === -1) continue;
      const key = trimmed.slice(0, equals).trim();
      const value = trimmed.slice(equals + 1).trim();
      if (key === 'ExecStart') {
        if (value === '') {
          unit.execStart = null;
          continue;
        }
        const argv = splitWords(expand(value.replace(/^[-@+!:]+/, '')));
        unit.execStart = { argv, line: number };
      } else if (key === 'EnvironmentFile') {
        if (value === '') {
          unit.environmentFiles = [];
          continue;
        }
        const optional = value.startsWith('-');
        unit.environmentFiles.push({ path: expand(optional ? value.slice(1) : value), optional, line: number });
      } else if (key === 'Environment') {
        for (const word of splitWords(expand(value))) {
          const at = word.indexOf('=');
          if (at > 0) unit.environment.push({ name: word.slice(0, at), value: word.slice(at + 1), line: number });
        }
      }
    }
  }
  return unit;
}

/** KEY=VALUE lines of an environment file (systemd EnvironmentFile or a shell-sourced .env). */
export function parseEnvironmentFile(text: string): { name: string; value: string; line: number }[] {
  const result: { name: string; value: string; line: number }[] = [];
  for (const { text: line, line: number } of logicalLines(text, '#;')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    const raw = (match[2] ?? '').trim();
    const words = splitWords(raw);
    result.push({ name: match[1] as string, value: raw === '' ? '' : words.join(' '), line: number });
  }
  return result;
}

export interface OpenrcScript {
  command: string | null;
  exec: UnitExec | null;
  /** `>>/var/log/k3s.log` redirect in command_args, or output_log. */
  logFile: string | null;
}

/** The install script's OpenRC service: `command="/usr/local/bin/k3s"`, `command_args="server ... >>LOG 2>&1"`. */
export function parseOpenrcScript(text: string): OpenrcScript {
  const script: OpenrcScript = { command: null, exec: null, logFile: null };
  let args: { words: string[]; line: number } | null = null;
  for (const { text: line, line: number } of logicalLines(text, '#')) {
    const assignment = /^\s*(command|command_args|output_log)=(.*)$/s.exec(line);
    if (assignment === null) continue;
    const words = splitWords(assignment[2] ?? '');
    if (assignment[1] === 'command') script.command = words[0] ?? null;
    else if (assignment[1] === 'output_log') script.logFile = words[0] ?? script.logFile;
    else args = { words: splitWords(words.join(' ')), line: number };
  }
  if (args !== null) {
    const argv: string[] = [];
    for (let index = 0; index < args.words.length; index += 1) {
      const word = args.words[index] as string;
      const redirect = /^(\d?)>>?(.*)$/.exec(word);
      if (redirect !== null) {
        const target = redirect[2] === '' ? args.words[++index] : redirect[2];
        if (redirect[1] !== '2' && target !== undefined && !target.startsWith('&')) script.logFile = target;
        continue;
      }
      argv.push(word);
    }
    script.exec = { argv: script.command === null ? argv : [script.command, ...argv], line: args.line };
  }
  return script;
}
