import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { posix as path } from 'node:path';
import type { ReadError } from '../facts/node-facts.ts';

/**
 * The node's filesystem, seen from kharden: `/` on a live node, or a node filesystem mounted at `root`
 * (`--root /host`). Every path is a path on the node; symlinks are resolved inside the root, so that an
 * absolute link (`/etc/rancher/k3s/config.yaml -> /data/k3s.yaml`) means ROOT/data/k3s.yaml, and `..`
 * never climbs out of it. Errors come back as values (ReadError), never as exceptions.
 */
export interface Resolved {
  /** The path on the node after following symlinks. */
  nodePath: string;
  /** The same path on this machine (root + nodePath). */
  hostPath: string;
  /** True when at least one symlink was followed. */
  followed: boolean;
}

export type ReadResult = { ok: true; text: string; resolved: Resolved; stats: Stats } | { ok: false; missing: boolean; error: ReadError };

const maxSymlinks = 40;

export class RootFs {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get isLive(): boolean {
    return this.root === '/';
  }

  /** ROOT + node path, without resolving anything. */
  hostPath(nodePath: string): string {
    const normal = path.normalize(`/${nodePath}`);
    return this.isLive ? normal : path.join(this.root, normal);
  }

  /** Follows symlinks component by component, keeping every step inside the root. */
  async resolve(nodePath: string): Promise<Resolved> {
    let pending = splitPath(nodePath);
    let current: string[] = [];
    let followed = false;
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift() as string;
      if (part === '.' || part === '') continue;
      if (part === '..') {
        current.pop();
        continue;
      }
      const candidate = [...current, part];
      const candidatePath = `/${candidate.join('/')}`;
      let info: Stats;
      try {
        info = await lstat(this.hostPath(candidatePath));
      } catch {
        // Does not exist (or cannot be seen): the rest stays lexical.
        current = candidate;
        continue;
      }
      if (!info.isSymbolicLink()) {
        current = candidate;
        continue;
      }
      hops += 1;
      if (hops > maxSymlinks) {
        current = candidate;
        break;
      }
      followed = true;
      const target = await readlink(this.hostPath(candidatePath));
      pending = [...splitPath(target), ...pending];
      if (target.startsWith('/')) current = [];
    }
    const resolvedPath = `/${current.join('/')}`;
    return { nodePath: resolvedPath, hostPath: this.hostPath(resolvedPath), followed };
  }

  /** Reads a text file (at most `maxBytes`), resolved inside the root. */
  async readText(nodePath: string, maxBytes = 16 * 1024 * 1024): Promise<ReadResult> {
    const resolved = await this.resolve(nodePath);
    try {
      const handle = await open(resolved.hostPath, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const stats = await handle.stat();
        if (stats.isDirectory()) return { ok: false, missing: false, error: { message: `${nodePath} is a directory` } };
        // /proc files report size 0: read in chunks until EOF.
        const chunks: Buffer[] = [];
        let length = 0;
        while (length < maxBytes) {
          const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes - length));
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
          if (bytesRead === 0) break;
          chunks.push(chunk.subarray(0, bytesRead));
          length += bytesRead;
        }
        return { ok: true, text: Buffer.concat(chunks).toString('utf8'), resolved, stats };
      } finally {
        await handle.close();
      }
    } catch (error) {
      return { ok: false, missing: isMissing(error), error: { message: describeError(error, nodePath) } };
    }
  }

  /** stat() of the resolved path; null when it does not exist. */
  async stat(nodePath: string): Promise<{ ok: true; stats: Stats; resolved: Resolved } | { ok: false; missing: boolean; error: ReadError }> {
    const resolved = await this.resolve(nodePath);
    try {
      return { ok: true, stats: await stat(resolved.hostPath), resolved };
    } catch (error) {
      return { ok: false, missing: isMissing(error), error: { message: describeError(error, nodePath) } };
    }
  }

  async exists(nodePath: string): Promise<boolean> {
    return (await this.stat(nodePath)).ok;
  }

  /** Entry names of a directory, sorted; an error value when it cannot be listed. */
  async list(nodePath: string): Promise<{ ok: true; entries: { name: string; isDirectory: boolean }[] } | { ok: false; missing: boolean; error: ReadError }> {
    const resolved = await this.resolve(nodePath);
    try {
      const entries = await readdir(resolved.hostPath, { withFileTypes: true });
      const result: { name: string; isDirectory: boolean }[] = [];
      for (const entry of entries) {
        let isDirectory = entry.isDirectory();
        if (entry.isSymbolicLink()) {
          const target = await this.stat(path.join(nodePath, entry.name));
          isDirectory = target.ok && target.stats.isDirectory();
        }
        result.push({ name: entry.name, isDirectory });
      }
      return { ok: true, entries: result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
    } catch (error) {
      return { ok: false, missing: isMissing(error), error: { message: describeError(error, nodePath) } };
    }
  }
}

function splitPath(value: string): string[] {
  return value.split('/').filter((part) => part !== '');
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** `permission denied`, `no such file or directory`, ... with the node path, never the host path. */
export function describeError(error: unknown, nodePath: string): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    ENOTDIR: 'a parent is not a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ELOOP: 'too many symbolic links',
    EISDIR: 'is a directory',
  };
  const reason = code === undefined ? (error instanceof Error ? error.message : String(error)) : (reasons[code] ?? code);
  return `${nodePath}: ${reason}`;
}
