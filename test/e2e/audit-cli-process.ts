/**
 * Runs the BUILT kharden CLI (`node bin/kharden.js`, which loads dist/) as a real process, the way a user
 * or a CI job runs it: its own stdout, stderr, environment and exit code. `npm test` builds dist/ before
 * vitest runs; to run these files alone, `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { targets } from '../../src/core/finding.ts';
import { sourceKinds } from '../../src/core/source.ts';
import { statuses } from '../../src/core/status.ts';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(repoRoot, 'bin', 'kharden.js');

export interface ProcessRun {
  /** The exit code; null when the process was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Variables added to (or, when undefined, removed from) the clean environment below. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/**
 * A clean environment: vitest's own (FORCE_COLOR, NO_COLOR, CI, ...) must not decide what the CLI does,
 * each test says what it sets.
 */
function cleanEnvironment(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export function assertBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: these tests run the built CLI; run `npm run build` first (`npm test` does)');
  }
}

export function kharden(args: readonly string[], options: RunOptions = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: cleanEnvironment(options.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

/** A V8 stack frame as Node prints it (`    at fn (file:line:col)`): a user must never see one. */
export const stackFrame = /^\s+at .+/m;
/** Any ANSI escape sequence (colour, bold, ...). */
export const ansiEscape = /\u001b\[/;

/** The AuditReport as docs/json-schema.md documents it (`kharden.dev/v1`). */
const evidenceSchema = z.object({
  subject: z.string().min(1),
  value: z.string().nullable(),
  source: z.object({ kind: z.enum(sourceKinds), path: z.string().optional(), line: z.number().int().positive().optional(), detail: z.string().optional() }),
});
const findingSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  section: z.string().min(1),
  target: z.enum(targets),
  type: z.enum(['automated', 'manual']),
  scored: z.boolean(),
  status: z.enum(statuses),
  reason: z.string().min(1),
  expected: z.string().optional(),
  evidence: z.array(evidenceSchema),
  remediation: z.string(),
  subject: z.string().optional(),
});
const countsSchema = z.object({ PASS: z.number().int(), FAIL: z.number().int(), WARN: z.number().int(), 'N/A': z.number().int(), UNKNOWN: z.number().int() });
export const auditReportSchema = z.object({
  apiVersion: z.literal('kharden.dev/v1'),
  kind: z.literal('AuditReport'),
  generatedAt: z.iso.datetime(),
  kharden: z.string().min(1),
  benchmark: z.object({
    id: z.enum(['k3s-cis-1.9', 'k3s-cis-1.10', 'k3s-cis-1.11', 'k3s-cis-1.12', 'k3s-cis-2.0', 'k3s-cis-2.1']),
    title: z.string().min(1),
    selectedBy: z.enum(['k3s-version', 'flag', 'nearest', 'default']),
    note: z.string().optional(),
  }),
  nodes: z.array(
    z.object({
      name: z.string(),
      role: z.enum(['server', 'agent']).nullable(),
      k3sVersion: z.string().nullable(),
      datastore: z.enum(['sqlite', 'etcd', 'external', 'unknown']).nullable(),
      state: z.enum(['running', 'configured']),
      origin: z.string().min(1),
    }),
  ),
  notices: z.array(z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string().min(1) })),
  sections: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), findings: z.array(findingSchema) })),
  summary: countsSchema,
});
export type ParsedReport = z.infer<typeof auditReportSchema>;
