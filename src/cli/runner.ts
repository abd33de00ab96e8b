/**
 * Wraps a command's action so that main() learns its exit code. Actions return the exit code;
 * they throw only KhardenError (a user-facing failure) or a genuine bug.
 */
export type CommandAction = (...args: unknown[]) => Promise<number>;
export type Runner = (action: CommandAction) => (...args: unknown[]) => Promise<void>;
