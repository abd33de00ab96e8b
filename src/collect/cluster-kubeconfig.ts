import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { collectError, inputError, usageError } from '../core/errors.ts';
import { k3sAdminKubeconfig } from '../k3s/paths.ts';

/**
 * Finds and loads the kubeconfig the way kubectl does, plus the k3s server's own:
 * 1. `--kubeconfig FILE` (only that file);
 * 2. `KUBECONFIG` (a `:`-separated list; missing files are skipped; for every cluster, user and context
 *    name and for current-context, the first file that sets it wins);
 * 3. `~/.kube/config`;
 * 4. `/etc/rancher/k3s/k3s.yaml` (on a k3s server, the admin kubeconfig k3s writes);
 * 5. the in-cluster service account (kharden running in a pod with deploy/rbac.yaml).
 * Then `--context` picks the context. Nothing here is ever printed except file paths and names.
 */
export interface KubeconfigChoice {
  kubeconfig: KubeConfig;
  /** Where it came from, for messages: `--kubeconfig /x`, `KUBECONFIG (/a:/b)`, `in-cluster service account`. */
  origin: string;
  context: string | null;
}

export interface KubeconfigOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Where k3s writes its admin kubeconfig (tests point it elsewhere). */
  k3sKubeconfig?: string;
  /** Prefix of the pod's service account directory (tests point it elsewhere). */
  serviceAccountRoot?: string;
}

const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

export function loadKubeconfig(options: KubeconfigOptions = {}): KubeconfigChoice {
  const env = options.env ?? process.env;
  const { kubeconfig, origin } = findKubeconfig(options, env);
  if (options.context !== undefined && options.context !== '') {
    if (kubeconfig.getContextObject(options.context) === null) {
      const known = kubeconfig.getContexts().map((context) => context.name);
      throw usageError(`context "${options.context}" is not in the kubeconfig (${origin}); contexts there: ${known.length === 0 ? 'none' : known.join(', ')}`);
    }
    kubeconfig.setCurrentContext(options.context);
  }
  const current = kubeconfig.getCurrentContext();
  if (current === '' || current === undefined || kubeconfig.getCurrentCluster() === null) {
    const known = kubeconfig.getContexts().map((context) => context.name);
    throw inputError(
      `the kubeconfig (${origin}) has no usable current context${known.length > 0 ? `; choose one with --context (${known.join(', ')})` : ''}`,
    );
  }
  return { kubeconfig, origin, context: current };
}

function findKubeconfig(options: KubeconfigOptions, env: NodeJS.ProcessEnv): { kubeconfig: KubeConfig; origin: string } {
  if (options.kubeconfig !== undefined && options.kubeconfig !== '') {
    return { kubeconfig: loadFile(options.kubeconfig, '--kubeconfig'), origin: `--kubeconfig ${options.kubeconfig}` };
  }
  const list = env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    const files = list.split(path.delimiter).filter((file) => file !== '');
    const present = files.filter((file) => existsSync(file));
    if (present.length === 0) throw collectError(`none of the files in KUBECONFIG exist (${files.join(', ')})`);
    return { kubeconfig: mergeKubeconfigs(present.map((file) => loadFile(file, 'KUBECONFIG'))), origin: `KUBECONFIG (${present.join(path.delimiter)})` };
  }
  const home = options.homeDir ?? homedir();
  const userConfig = path.join(home, '.kube', 'config');
  if (existsSync(userConfig)) return { kubeconfig: loadFile(userConfig, 'default kubeconfig'), origin: userConfig };
  const k3s = options.k3sKubeconfig ?? k3sAdminKubeconfig;
  if (existsSync(k3s)) return { kubeconfig: loadFile(k3s, 'k3s admin kubeconfig'), origin: k3s };
  const accountDir = `${options.serviceAccountRoot ?? ''}${serviceAccountDir}`;
  const host = env.KUBERNETES_SERVICE_HOST;
  if (host !== undefined && host !== '' && existsSync(path.join(accountDir, 'token'))) {
    // What client-node's loadFromCluster builds, from the given environment rather than process.env.
    const port = env.KUBERNETES_SERVICE_PORT ?? '443';
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromOptions({
      clusters: [{ name: 'in-cluster', server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`, caFile: path.join(accountDir, 'ca.crt'), skipTLSVerify: false }],
      users: [{ name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile: path.join(accountDir, 'token') } } }],
      contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster' }],
      currentContext: 'in-cluster',
    });
    return { kubeconfig, origin: 'in-cluster service account' };
  }
  throw collectError(
    `no kubeconfig found: give --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, or run kharden on a k3s server (${k3s}) or in a pod with a service account`,
  );
}

function loadFile(file: string, what: string): KubeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? error);
    throw inputError(`cannot read the kubeconfig ${file} (${what}): ${reason}`, error);
  }
  const kubeconfig = new KubeConfig();
  try {
    kubeconfig.loadFromString(text);
  } catch (error) {
    // client-node's messages name fields, never values; keep only the first line.
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'unreadable';
    throw inputError(`the kubeconfig ${file} (${what}) is not a valid kubeconfig: ${message}`);
  }
  kubeconfig.makePathsAbsolute(path.dirname(path.resolve(file)));
  return kubeconfig;
}

/** kubectl's merge: the first file to define a name (or current-context) wins; later duplicates are ignored. */
export function mergeKubeconfigs(configs: readonly KubeConfig[]): KubeConfig {
  const merged = new KubeConfig();
  const clusters = new Map<string, KubeConfig['clusters'][number]>();
  const users = new Map<string, KubeConfig['users'][number]>();
  const contexts = new Map<string, KubeConfig['contexts'][number]>();
  let currentContext = '';
  for (const config of configs) {
    for (const cluster of config.clusters) if (!clusters.has(cluster.name)) clusters.set(cluster.name, cluster);
    for (const user of config.users) if (!users.has(user.name)) users.set(user.name, user);
    for (const context of config.contexts) if (!contexts.has(context.name)) contexts.set(context.name, context);
    if (currentContext === '' && config.currentContext) currentContext = config.currentContext;
  }
  merged.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return merged;
}

/** The server URL without user info (`https://user:pass@host` is a URL too). */
export function displayServer(server: string): string {
  try {
    const url = new URL(server);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return server.replace(/\/\/[^/@]*@/, '//');
  }
}
