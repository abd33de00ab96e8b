import { Document } from 'yaml';

/**
 * The API server audit policy (server/audit.yaml). Every request is logged at Metadata level (who did what
 * to which object, never the body, so no Secret value reaches the log), as the hardening guide's starter
 * policy does; the RequestReceived stage is omitted so that each request is logged once when it completes.
 */
export function auditPolicy(): Record<string, unknown> {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [{ level: 'Metadata' }],
  };
}

export function auditPolicyContent(): string {
  return `# API server audit policy written by kharden harden (--audit-policy-file).\n${new Document(auditPolicy()).toString({ lineWidth: 0 })}`;
}
