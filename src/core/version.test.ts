import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { khardenVersion } from './version.ts';

describe('khardenVersion', () => {
  it('matches package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(khardenVersion).toBe(manifest.version);
  });
});
