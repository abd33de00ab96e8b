/**
 * What the apply engine does to one path. Paths are node paths (`/etc/...`); the engine resolves them under
 * the root it was given. `expect` records what the plan saw, so that an apply refuses to act on a file
 * that changed between planning and writing.
 */
export interface Attributes {
  mode: number;
  uid: number;
  gid: number;
}

export type ExpectedState = { exists: false } | { exists: true; sha256: string | null };

export type FileOperation =
  | ({ op: 'write'; path: string; content: string; expect: ExpectedState } & Attributes)
  | ({ op: 'mkdir'; path: string } & Attributes)
  | ({ op: 'attributes'; path: string } & Attributes);

/** A step of the engine at which a test can make it fail, as a crash or a full disk would. */
export type StepName =
  | 'backup-copy'
  | 'manifest-write'
  | 'mkdir-parent'
  | 'temp-write'
  | 'temp-fsync'
  | 'temp-attributes'
  | 'rename'
  | 'dir-fsync'
  | 'mkdir'
  | 'chmod'
  | 'chown'
  | 'manifest-complete';

export interface FaultHooks {
  /** Called before each step; throwing from it fails the step. */
  beforeStep?: (step: StepName, path: string) => void;
}
