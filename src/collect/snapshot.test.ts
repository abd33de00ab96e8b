import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isKhardenError } from '../core/errors.ts';
import { parseSnapshot, readSnapshot, writeSnapshot } from './snapshot.ts';

const sample = JSON.parse(readFileSync(new URL('../../samples/demo-node.json', import.meta.url), 'utf8')) as unknown;
const directories: string[] = [];
const temp = () => {
  const directory = mkdtempSync(join(tmpdir(), 'kharden-snapshot-'));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function refusal(text: string): Promise<{ code: string; message: string }> {
  const directory = temp();
  const file = join(directory, 'node.json');
  writeFileSync(file, text);
  try {
    await readSnapshot(file);
  } catch (error) {
    if (isKhardenError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('accepted');
}

describe('snapshots', () => {
  it('round-trips, atomically, with mode 600 and no temp file left', async () => {
    const directory = temp();
    const file = join(directory, 'node.json');
    const facts = parseSnapshot(JSON.stringify(sample), 'sample');
    await writeSnapshot(file, facts);
    expect(await readSnapshot(file)).toEqual(facts);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(directory)).toEqual(['node.json']);
  });

  it.each([
    ['not JSON', '{"kind": "NodeFacts",', /is not a kharden node snapshot: not valid JSON/],
    ['a JSON list', '[]', /expected a JSON object with kind NodeFacts/],
    ['a Kubernetes manifest', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }), /it is a Pod, expected kind NodeFacts/],
    ['another apiVersion', JSON.stringify({ ...(sample as object), apiVersion: 'kharden.dev/v9' }), /unsupported snapshot apiVersion "kharden.dev\/v9"/],
    ['a schema mismatch', JSON.stringify({ ...(sample as object), files: [{ path: '/x', exists: 'yes' }] }), /is not a valid kharden node snapshot at files\[0\]\.exists: /],
  ])('refuses %s with an input error naming the file', async (_name, text, pattern) => {
    const { code, message } = await refusal(text);
    expect(code).toBe('input');
    expect(message).toMatch(/node\.json/);
    expect(message).toMatch(pattern);
  });

  it('refuses a missing file', async () => {
    await expect(readSnapshot(join(temp(), 'missing.json'))).rejects.toMatchObject({ code: 'input', message: expect.stringMatching(/cannot read snapshot .*missing\.json: no such file/) });
  });
});
