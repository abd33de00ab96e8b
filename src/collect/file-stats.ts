import { posix as path } from 'node:path';
import type { FileStat } from '../facts/node-facts.ts';
import type { PathSpec } from '../k3s/paths.ts';
import type { RootFs } from './root-fs.ts';

/** uid → user name and gid → group name, from the node's own /etc/passwd and /etc/group. */
export interface Accounts {
  users: ReadonlyMap<number, string>;
  groups: ReadonlyMap<number, string>;
}

export async function readAccounts(fs: RootFs): Promise<Accounts> {
  return { users: await readIdFile(fs, '/etc/passwd'), groups: await readIdFile(fs, '/etc/group') };
}

async function readIdFile(fs: RootFs, file: string): Promise<Map<number, string>> {
  const map = new Map<number, string>();
  const read = await fs.readText(file, 4 * 1024 * 1024);
  if (!read.ok) return map;
  for (const line of read.text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name === undefined || id === undefined || name.startsWith('#')) continue;
    const number = Number(id);
    if (Number.isInteger(number) && !map.has(number)) map.set(number, name);
  }
  return map;
}

/** Mode and owner of every path the specs name, expanded (globs, trees), each path once. */
export async function statPaths(fs: RootFs, specs: readonly PathSpec[], accounts: Accounts): Promise<FileStat[]> {
  const seen = new Map<string, FileStat>();
  const add = async (nodePath: string): Promise<FileStat> => {
    const existing = seen.get(nodePath);
    if (existing !== undefined) return existing;
    const stat = await statOne(fs, nodePath, accounts);
    seen.set(nodePath, stat);
    return stat;
  };
  for (const spec of specs) {
    const root = await add(spec.path);
    if (spec.kind === 'path' || root.type !== 'directory') continue;
    if (spec.kind === 'children') {
      const listing = await fs.list(spec.path);
      if (!listing.ok) continue;
      for (const entry of listing.entries) {
        if (spec.suffix !== undefined && !entry.name.endsWith(spec.suffix)) continue;
        await add(path.join(spec.path, entry.name));
      }
      continue;
    }
    const walk = async (directory: string, depth: number): Promise<void> => {
      if (depth <= 0) return;
      const listing = await fs.list(directory);
      if (!listing.ok) return;
      for (const entry of listing.entries) {
        const child = path.join(directory, entry.name);
        const stat = await add(child);
        if (stat.type === 'directory') await walk(child, depth - 1);
      }
    };
    await walk(spec.path, spec.depth);
  }
  return [...seen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function statOne(fs: RootFs, nodePath: string, accounts: Accounts): Promise<FileStat> {
  const result = await fs.stat(nodePath);
  if (!result.ok) return result.missing ? { path: nodePath, exists: false } : { path: nodePath, exists: false, error: result.error };
  const { stats, resolved } = result;
  const type = stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  const stat: FileStat = { path: nodePath, exists: true, type, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
  const user = accounts.users.get(stats.uid);
  const group = accounts.groups.get(stats.gid);
  if (user !== undefined) stat.user = user;
  if (group !== undefined) stat.group = group;
  if (resolved.followed) stat.symlinkTo = resolved.nodePath;
  return stat;
}
