import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inputError } from '../core/errors.ts';
import { parseAdmissionConfig, type PodSecurityConfiguration } from '../pss/admission-config.ts';

/**
 * Reads the PodSecurity admission configuration (`--admission-config psa.yaml`): a PodSecurityConfiguration,
 * or an AdmissionConfiguration whose PodSecurity entry is inline or a `path` (relative to the file, as
 * kube-apiserver resolves it). A missing or invalid file is an input error naming the file.
 */
export async function readPodSecurityConfiguration(file: string): Promise<{ configuration: PodSecurityConfiguration; files: string[] }> {
  const files: string[] = [];
  let current = file;
  for (let depth = 0; depth < 2; depth++) {
    files.push(current);
    let text: string;
    try {
      text = await readFile(current, 'utf8');
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
      throw inputError(`cannot read admission configuration ${current}: ${why}`, error);
    }
    const parsed = parseAdmissionConfig(text);
    if (parsed.kind === 'configuration') return { configuration: parsed.configuration, files };
    if (parsed.kind === 'error') throw inputError(`admission configuration ${current}: ${parsed.message}`);
    current = path.isAbsolute(parsed.path) ? parsed.path : path.join(path.dirname(current), parsed.path);
  }
  throw inputError(`admission configuration ${file}: the PodSecurity plugin path points at another AdmissionConfiguration`);
}
