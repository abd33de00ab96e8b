import { open } from 'node:fs/promises';
import type { RootFs } from './root-fs.ts';

/**
 * The version stamped into the k3s binary (`-X …/pkg/version.Version=v1.33.5+k3s1` at build time), found
 * by scanning the file rather than running it: under --root the binary may be for another architecture,
 * and kharden never executes programs from the audited filesystem.
 */
const versionPattern = /v1\.\d{1,2}\.\d{1,3}(?:-rc\d+)?\+k3s\d+/;
const chunkSize = 4 * 1024 * 1024;
const overlap = 64;

export async function binaryVersion(fs: RootFs, binary: string, maxBytes = 512 * 1024 * 1024): Promise<string | null> {
  const info = await fs.stat(binary);
  if (!info.ok || !info.stats.isFile()) return null;
  let handle;
  try {
    handle = await open(info.resolved.hostPath, 'r');
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(chunkSize + overlap);
    let carried = 0;
    let position = 0;
    while (position < maxBytes) {
      const { bytesRead } = await handle.read(buffer, carried, chunkSize, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const text = buffer.toString('latin1', 0, carried + bytesRead);
      const match = versionPattern.exec(text);
      if (match !== null) return match[0];
      const total = carried + bytesRead;
      carried = Math.min(overlap, total);
      buffer.copy(buffer, 0, total - carried, total);
    }
    return null;
  } finally {
    await handle.close();
  }
}
