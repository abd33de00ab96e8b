import { canonicalFlagName, isSecretFlag, isSecretVariable } from './flags.ts';

/** What k3s writes in place of a secret in its node-args annotation (pkg/nodeconfig OmittedValue). */
export const maskedValue = '********';

/** Schemes a datastore endpoint may start with (k3s/kine drivers); anything else is masked whole. */
const datastoreSchemes = new Set(['sqlite', 'mysql', 'postgres', 'postgresql', 'http', 'https', 'nats', 'unix', 'unixs']);

/**
 * Masks a secret value. With `keepScheme` (a datastore endpoint), a URL keeps a known datastore scheme
 * (`postgres://********`): the scheme is not secret and tells which datastore is used; everything after it
 * (user, password, host, options) is hidden.
 */
export function maskSecretValue(value: string, keepScheme = false): string {
  if (value === '' || value === maskedValue) return value;
  if (!keepScheme) return maskedValue;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  return scheme !== undefined && datastoreSchemes.has(scheme) ? `${scheme}://${maskedValue}` : maskedValue;
}

/** The value as it may be stored: masked when `flag` (without dashes) is a secret. */
export function maskFlagValue(flag: string, value: string): string {
  return isSecretFlag(flag) ? maskSecretValue(value, keepsScheme(flag)) : value;
}

export function maskVariableValue(variable: string, value: string): string {
  return isSecretVariable(variable) ? maskSecretValue(value, variable === 'K3S_DATASTORE_ENDPOINT') : value;
}

function keepsScheme(flag: string): boolean {
  return canonicalFlagName(flag) === 'datastore-endpoint';
}

/** Hides `user:password@` in any URL inside free text (log lines). */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']*:[^\s/@"']*@/gi, `$1${maskedValue}@`);
}

/**
 * Masks secret flags in an argv list, in both forms k3s accepts: `--token=x` and `--token x` / `-t x`.
 * Mirrors k3s's own node-args masking, which also keys on the flag and hides the following value.
 */
export function maskArgv(argv: readonly string[]): string[] {
  const masked: string[] = [];
  let maskNext = false;
  let maskNextFlag = '';
  for (const token of argv) {
    if (maskNext) {
      masked.push(maskSecretValue(token, keepsScheme(maskNextFlag)));
      maskNext = false;
      continue;
    }
    const match = /^(-{1,2})([^=]+)(=(.*))?$/s.exec(token);
    if (match === null || token === '--') {
      masked.push(token);
      continue;
    }
    const name = match[2] ?? '';
    if (!isSecretFlag(name)) {
      masked.push(token);
      continue;
    }
    if (match[3] === undefined) {
      masked.push(token);
      maskNext = true;
      maskNextFlag = name;
    } else {
      masked.push(`${match[1] ?? ''}${name}=${maskSecretValue(match[4] ?? '', keepsScheme(name))}`);
    }
  }
  return masked;
}
