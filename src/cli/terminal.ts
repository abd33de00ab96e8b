import pc from 'picocolors';

/** What a command may do to the outside world for output: two streams and the decision about colour and progress. */
export interface Terminal {
  out: (text: string) => void;
  err: (text: string) => void;
  colors: Colors;
  /** Progress lines on stderr, shown only when stderr is a terminal and output is not machine-read. */
  progress: (message: string) => void;
}

export type Colors = ReturnType<typeof pc.createColors>;

export interface ColorChoice {
  noColorFlag: boolean;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** no-color.org: NO_COLOR present and non-empty disables colour; FORCE_COLOR forces it; otherwise only on a terminal. */
export function colorEnabled({ noColorFlag, env, isTTY }: ColorChoice): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function processTerminal(options: { color: boolean; progress: boolean }): Terminal {
  const colors = pc.createColors(options.color);
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    colors,
    progress: options.progress ? (message) => process.stderr.write(`${colors.dim(`… ${message}`)}\n`) : () => {},
  };
}

/** Progress is for a person watching: stderr must be a terminal, and we are not in CI. */
export function progressEnabled(env: NodeJS.ProcessEnv, stderrIsTTY: boolean, quiet: boolean): boolean {
  return !quiet && stderrIsTTY && env.CI === undefined;
}
