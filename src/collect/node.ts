import { hostname as osHostname } from 'node:os';
import { posix as path } from 'node:path';
import type { Source, Sourced } from '../core/source.ts';
import { khardenVersion } from '../core/version.ts';
import {
  nodeFactsApiVersion,
  nodeFactsKind,
  type ConfigFile,
  type Launch,
  type NodeFacts,
  type StructuredFile,
} from '../facts/node-facts.ts';
import { parseK3sArgv } from '../k3s/argv.ts';
import { parseConfigFileText } from '../k3s/config-file.ts';
import { resolveK3sSettings, settingValue, settingValues, type EnvironmentVariable, type K3sSettings } from '../k3s/config-merge.ts';
import { isSecretVariable } from '../k3s/flags.ts';
import { benchmarkPathSpecs, configDropInDir, defaultConfigFile, defaultDataDir, defaultK3sBinary, k3sPaths } from '../k3s/paths.ts';
import { maskArgv, maskVariableValue } from '../k3s/secrets.ts';
import { compareK3sVersions, parseK3sVersion } from '../k3s/version.ts';
import { readAccounts, statPaths } from './file-stats.ts';
import { binaryVersion } from './k3s-binary.ts';
import { collectK3sLogs } from './k3s-logs.ts';
import { findK3sProcess } from './process.ts';
import { RootFs } from './root-fs.ts';
import { parseEnvironmentFile, parseOpenrcScript, parseSystemdUnit } from './service-unit.ts';
import { readStructuredFile } from './structured-file.ts';
import { collectSysctl } from './sysctl.ts';

export interface CollectOptions {
  /** `/` on a live node; the mount point of a node filesystem otherwise. */
  root: string;
  mode: 'live' | 'root' | 'demo';
  /** journalctl to run (null: skip journald). Defaults to `journalctl` on PATH. */
  journalctl?: string | null;
  /** Clock for collectedAt (tests and the demo sample pin it). */
  now?: () => Date;
}

/**
 * Collects everything kharden knows about one k3s node into NodeFacts. Reads only (never writes, never
 * runs a program from the node except the host's journalctl), reads every path inside the root, and
 * turns every problem into an `error` field of the fact concerned: it does not throw for a node's state.
 */
export async function collectNodeFacts(options: CollectOptions): Promise<NodeFacts> {
  const fs = new RootFs(options.root);
  const now = options.now ?? (() => new Date());
  const accounts = await readAccounts(fs);

  const process = await findK3sProcess(fs);
  const service = await findService(fs, process?.role ?? null);

  // Which config file k3s reads: K3S_CONFIG_FILE beats --config (configfilearg findConfigFileFlag).
  const configPath = chooseConfigPath(service, process);
  const configFiles = await readConfigFiles(fs, configPath.value);
  const environment = service?.environment ?? [];

  const configuredSettings = resolveK3sSettings({
    configFiles,
    argv: service === null ? [] : [{ flags: parseK3sArgv(service.launch.argv).flags, source: service.launch.source }],
    environment,
  });
  const runningSettings = resolveK3sSettings({
    configFiles,
    argv: process === null ? [] : [{ flags: parseK3sArgv(process.launch.argv).flags, source: process.launch.source }],
    environment: process?.launch.environment ?? environment,
  });
  const dataDir = settingValue(configuredSettings, 'data-dir')?.value ?? settingValue(runningSettings, 'data-dir')?.value ?? defaultDataDir;
  const paths = k3sPaths(dataDir);

  const logFiles = [...new Set([settingValue(runningSettings, 'log')?.value, settingValue(configuredSettings, 'log')?.value, service?.logFile ?? undefined])]
    .filter((file): file is string => file !== undefined && file !== '');
  const logs = await collectK3sLogs(fs, { logFiles, journalctl: options.journalctl === undefined ? 'journalctl' : options.journalctl });

  const role = await detectRole(fs, process, service, paths, logs.facts.running.map((line) => line.component));

  const binaryPath = service?.launch.binary ?? process?.launch.binary ?? defaultK3sBinary;
  const versionEvidence: Sourced<string>[] = [];
  const stamped = await binaryVersion(fs, binaryPath);
  if (stamped !== null) versionEvidence.push({ value: stamped, source: { kind: 'binary', path: binaryPath } });
  for (const logged of logs.versions) {
    versionEvidence.push({ value: logged.value, source: logged.time === undefined ? logged.source : { ...logged.source, detail: `${logged.source.detail ?? 'Starting k3s'} at ${logged.time}` } });
  }
  const version = chooseVersion(versionEvidence, process !== null);

  const kubeletConfigFiles = await readKubeletConfigFiles(fs, paths.kubeletConfigDir, [configuredSettings, runningSettings]);
  const isServer = role?.value !== 'agent';
  const etcdConfig = isServer ? await readStructuredFile(fs, paths.etcdConfig) : null;
  const encryptionPath = apiServerArg([configuredSettings, runningSettings], 'encryption-provider-config') ?? paths.encryptionConfig;
  const encryptionConfig = isServer ? await readStructuredFile(fs, encryptionPath, ['secret']) : null;

  const extraFiles: { path: string; why: string }[] = [];
  const extraDirs: { path: string; why: string }[] = [];
  for (const [flag, why] of [
    ['audit-policy-file', 'CIS 3.2.1 audit policy'],
    ['admission-control-config-file', 'admission configuration (PodSecurity, EventRateLimit)'],
    ['encryption-provider-config', 'CIS 1.2.27 encryption provider config'],
    ['audit-log-path', 'CIS 1.2.16 audit log'],
  ] as const) {
    const value = apiServerArg([configuredSettings, runningSettings], flag);
    if (value !== null && value !== '-' && value.startsWith('/')) extraFiles.push({ path: value, why });
    if (flag === 'audit-log-path' && value !== null && value.startsWith('/')) extraDirs.push({ path: path.dirname(value), why: 'audit log directory (hardening guide: mode 700)' });
  }
  for (const file of kubeletConfigFiles) if (!file.path.startsWith(`${paths.kubeletConfigDir}/`)) extraFiles.push({ path: file.path, why: 'kubelet config file (kubelet-arg config)' });
  extraFiles.push({ path: binaryPath, why: 'k3s binary' });

  const specs = benchmarkPathSpecs({ dataDir, role: role?.value ?? null, configFile: configPath.value, extraFiles, extraDirs });
  const files = await statPaths(fs, specs, accounts);

  const installed =
    process !== null ||
    service !== null ||
    configFiles.some((file) => file.present) ||
    files.some((file) => file.path === dataDir && file.exists) ||
    files.some((file) => file.path === binaryPath && file.exists);

  const facts: NodeFacts = {
    apiVersion: nodeFactsApiVersion,
    kind: nodeFactsKind,
    collectedAt: now().toISOString(),
    collector: { kharden: khardenVersion, mode: options.mode, root: options.mode === 'live' ? '/' : options.root },
    hostname: await readHostname(fs),
    k3s: {
      installed,
      version,
      versionEvidence,
      configPath,
      role,
      dataDir,
      configFiles,
      process: process?.launch ?? null,
      service: service?.launch ?? null,
      environment,
      logs: logs.facts,
    },
    kubeletConfigFiles,
    etcdConfig,
    encryptionConfig,
    files,
    sysctl: await collectSysctl(fs),
  };
  return facts;
}

interface FoundService {
  launch: Launch;
  environment: EnvironmentVariable[];
  logFile: string | null;
  role: 'server' | 'agent' | null;
}

const systemdDirectories = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

/** The k3s service: systemd unit (install script: /etc/systemd/system/k3s.service or k3s-agent.service) or OpenRC script. */
async function findService(fs: RootFs, processRole: 'server' | 'agent' | null): Promise<FoundService | null> {
  const found: FoundService[] = [];
  const unitNames = new Set(['k3s.service', 'k3s-agent.service']);
  const etc = await fs.list('/etc/systemd/system');
  if (etc.ok) for (const entry of etc.entries) if (/^k3s(-[\w.@-]+)?\.service$/.test(entry.name) && !entry.isDirectory) unitNames.add(entry.name);
  for (const unitName of unitNames) {
    let unitPath: string | null = null;
    let unitText = '';
    for (const directory of systemdDirectories) {
      const read = await fs.readText(path.join(directory, unitName));
      if (read.ok) {
        unitPath = path.join(directory, unitName);
        unitText = read.text;
        break;
      }
    }
    if (unitPath === null) continue;
    const dropIns: string[] = [];
    const dropInDir = `/etc/systemd/system/${unitName}.d`;
    const listing = await fs.list(dropInDir);
    if (listing.ok) {
      for (const entry of listing.entries) {
        if (!entry.name.endsWith('.conf')) continue;
        const read = await fs.readText(path.join(dropInDir, entry.name));
        if (read.ok) dropIns.push(read.text);
      }
    }
    const unit = parseSystemdUnit([unitText, ...dropIns], unitName);
    if (unit.execStart === null) continue;
    const [binary, ...args] = unit.execStart.argv;
    const environment: EnvironmentVariable[] = unit.environment
      .filter((variable) => isK3sVariable(variable.name))
      .map((variable) => ({ name: variable.name, value: maskVariableValue(variable.name, variable.value), source: { kind: 'service-unit' as const, path: unitPath, line: variable.line, detail: variable.name } }));
    for (const file of unit.environmentFiles) environment.push(...(await readEnvironment(fs, file.path)));
    const launch: Launch = { source: { kind: 'service-unit', path: unitPath, line: unit.execStart.line }, argv: maskArgv(args) };
    if (binary !== undefined) launch.binary = binary;
    found.push({ launch, environment, logFile: null, role: parseK3sArgv(args).subcommand });
  }
  for (const name of ['k3s', 'k3s-agent']) {
    const scriptPath = `/etc/init.d/${name}`;
    const read = await fs.readText(scriptPath);
    if (!read.ok) continue;
    const script = parseOpenrcScript(read.text);
    if (script.exec === null) continue;
    const [binary, ...args] = script.exec.argv;
    const environment = [...(await readEnvironment(fs, '/etc/environment')), ...(await readEnvironment(fs, `/etc/rancher/k3s/${name}.env`))];
    const launch: Launch = { source: { kind: 'service-unit', path: scriptPath, line: script.exec.line }, argv: maskArgv(args) };
    if (binary !== undefined) launch.binary = binary;
    found.push({ launch, environment, logFile: script.logFile, role: parseK3sArgv(args).subcommand });
  }
  if (found.length === 0) return null;
  return found.find((service) => processRole !== null && service.role === processRole) ?? found.find((service) => service.role !== null) ?? (found[0] as FoundService);
}

function isK3sVariable(name: string): boolean {
  return name.startsWith('K3S_') || name === 'AWS_ACCESS_KEY_ID' || name === 'AWS_SECRET_ACCESS_KEY' || (isSecretVariable(name) && name.startsWith('K3S'));
}

async function readEnvironment(fs: RootFs, file: string): Promise<EnvironmentVariable[]> {
  const read = await fs.readText(file, 1024 * 1024);
  if (!read.ok) return [];
  return parseEnvironmentFile(read.text)
    .filter((variable) => isK3sVariable(variable.name))
    .map((variable) => ({ name: variable.name, value: maskVariableValue(variable.name, variable.value), source: { kind: 'env-file', path: file, line: variable.line } }));
}

function chooseConfigPath(service: FoundService | null, process: Awaited<ReturnType<typeof findK3sProcess>>): Sourced<string> {
  const serviceVariable = service?.environment.find((variable) => variable.name === 'K3S_CONFIG_FILE');
  if (serviceVariable !== undefined) return { value: serviceVariable.value, source: serviceVariable.source };
  const serviceFlag = service === null ? undefined : [...parseK3sArgv(service.launch.argv).flags].reverse().find((flag) => flag.name === 'config');
  if (serviceFlag !== undefined && service !== null) return { value: serviceFlag.value, source: { ...service.launch.source, detail: '--config' } };
  if (process?.configFile !== undefined) return { value: process.configFile, source: { kind: 'cmdline', path: `/proc/${process.launch.pid ?? 0}/environ`, detail: 'K3S_CONFIG_FILE' } };
  const processFlag = process === null ? undefined : [...parseK3sArgv(process.launch.argv).flags].reverse().find((flag) => flag.name === 'config');
  if (processFlag !== undefined && process !== null) return { value: processFlag.value, source: { ...process.launch.source, detail: '--config' } };
  return { value: defaultConfigFile, source: { kind: 'k3s-default', detail: 'default config file' } };
}

/** The config file and its `.d` drop-ins (`*.yaml`, `*.yml`, any case, files only, by name), as k3s reads them. */
async function readConfigFiles(fs: RootFs, configFile: string): Promise<ConfigFile[]> {
  if (/^https?:\/\//i.test(configFile)) {
    // k3s can load its config from a URL; kharden does not fetch it (no network access during collection).
    return [{ path: configFile, present: true, entries: [], error: { message: `${configFile}: a remote config file; kharden does not fetch it, so the settings it holds are unknown` } }];
  }
  const files: ConfigFile[] = [await readConfigFile(fs, configFile)];
  const dropInDir = configDropInDir(configFile);
  const listing = await fs.list(dropInDir);
  if (listing.ok) {
    for (const entry of listing.entries) {
      if (entry.isDirectory || !/\.ya?ml$/i.test(entry.name)) continue;
      files.push(await readConfigFile(fs, path.join(dropInDir, entry.name)));
    }
  } else if (!listing.missing) {
    files.push({ path: dropInDir, present: true, entries: [], error: listing.error });
  }
  return files;
}

async function readConfigFile(fs: RootFs, file: string): Promise<ConfigFile> {
  const read = await fs.readText(file, 4 * 1024 * 1024);
  if (!read.ok) return read.missing ? { path: file, present: false, entries: [] } : { path: file, present: true, entries: [], error: read.error };
  const parsed = parseConfigFileText(read.text, file);
  return { ...parsed, modifiedAt: read.stats.mtime.toISOString() };
}

async function detectRole(
  fs: RootFs,
  process: Awaited<ReturnType<typeof findK3sProcess>>,
  service: FoundService | null,
  paths: ReturnType<typeof k3sPaths>,
  loggedComponents: readonly string[],
): Promise<Sourced<'server' | 'agent'> | null> {
  if (process !== null) return { value: process.role, source: process.launch.source };
  if (service?.role !== null && service !== null) return { value: service.role as 'server' | 'agent', source: service.launch.source };
  if (await fs.exists(paths.server)) return { value: 'server', source: { kind: 'file-stat', path: paths.server, detail: 'the server data directory exists' } };
  if (loggedComponents.includes('kube-apiserver')) return { value: 'server', source: { kind: 'k3s-log', detail: 'k3s logged Running kube-apiserver' } };
  if (await fs.exists(paths.agent)) return { value: 'agent', source: { kind: 'file-stat', path: paths.agent, detail: 'only the agent data directory exists' } };
  return null;
}

function chooseVersion(evidence: readonly Sourced<string>[], running: boolean): Sourced<string> | null {
  const logged = [...evidence].reverse().find((item) => item.source.kind === 'k3s-log');
  const binary = evidence.find((item) => item.source.kind === 'binary');
  const first = running ? (logged ?? binary) : (binary ?? logged);
  if (first === undefined) return null;
  const parsed = parseK3sVersion(first.value);
  return parsed === null ? first : { value: parsed.text, source: first.source };
}

/** The kubelet drop-ins k3s keeps, plus a `kubelet-arg: config=FILE` file and `config-dir=DIR` files. */
async function readKubeletConfigFiles(fs: RootFs, dropInDir: string, settings: readonly K3sSettings[]): Promise<StructuredFile[]> {
  const files: StructuredFile[] = [];
  const seen = new Set<string>();
  const addTree = async (directory: string, depth: number): Promise<void> => {
    if (depth < 0) return;
    const listing = await fs.list(directory);
    if (!listing.ok) return;
    for (const entry of listing.entries) {
      const child = path.join(directory, entry.name);
      if (entry.isDirectory) await addTree(child, depth - 1);
      else if (entry.name.endsWith('.conf') && !seen.has(child)) {
        seen.add(child);
        files.push(await readStructuredFile(fs, child));
      }
    }
  };
  await addTree(dropInDir, 3);
  for (const setting of settings) {
    for (const item of settingValues(setting, 'kubelet-arg')) {
      const match = /^(?:--)?(config|config-dir)=(.+)$/.exec(item.value);
      if (match === null) continue;
      const target = match[2] as string;
      if (match[1] === 'config' && !seen.has(target)) {
        seen.add(target);
        files.push(await readStructuredFile(fs, target));
      } else if (match[1] === 'config-dir') {
        await addTree(target.replace(/\/$/, ''), 3);
      }
    }
  }
  return files;
}

/** The last value of a kube-apiserver argument set through kube-apiserver-arg, in any of the settings given. */
function apiServerArg(settings: readonly K3sSettings[], flag: string): string | null {
  for (const setting of settings) {
    const values = settingValues(setting, 'kube-apiserver-arg');
    for (let index = values.length - 1; index >= 0; index -= 1) {
      const match = /^(?:--)?([^=]+?)[+-]?=(.*)$/.exec(values[index]?.value ?? '');
      if (match?.[1] === flag) return match[2] ?? null;
    }
  }
  return null;
}

async function readHostname(fs: RootFs): Promise<string | null> {
  if (fs.isLive) return osHostname();
  const read = await fs.readText('/etc/hostname', 4096);
  if (!read.ok) return null;
  const name = read.text.split('\n')[0]?.trim() ?? '';
  return name === '' ? null : name;
}

export type { Source };
