import { type Command, Option } from 'commander';
import { parseClusterSnapshot } from '../../collect/cluster-snapshot.ts';
import { readSnapshotText } from '../../collect/snapshot.ts';
import { loadManifests } from '../../collect/manifests.ts';
import { readNodePodSecurityConfiguration, readPodSecurityConfiguration } from '../../collect/pss-admission-config.ts';
import { collectError, inputError, usageError } from '../../core/errors.ts';
import { khardenVersion } from '../../core/version.ts';
import type { ClusterFacts, ClusterKindName } from '../../facts/cluster-facts.ts';
import type { ObjectProblem, SourcedObject } from '../../facts/kube-object.ts';
import { emptyPodSecurityConfiguration } from '../../pss/admission-config.ts';
import { assessWorkloads, namespacesFromObjects, type NamespaceInput } from '../../pss/assess.ts';
import { parseLevel, parseVersion, type Level, type LevelVersion, type PolicyVersion } from '../../pss/level-version.ts';
import { knownLatestVersion, latestVersionForKubernetes } from '../../pss/registry.ts';
import { renderPssJson } from '../../report/pss-json.ts';
import { renderPssText } from '../../report/pss-text.ts';
import { exitCodes } from '../exit-code.ts';
import { collectRepeated, parseExitCode, writeOutput } from '../output.ts';
import type { Runner } from '../runner.ts';
import { colorEnabled, processTerminal, progressEnabled } from '../terminal.ts';

interface PssFlags {
  manifests?: string[];
  snapshot?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  level?: string;
  version?: string;
  enforce?: string;
  admissionConfig?: string;
  fromNode?: boolean;
  root?: string;
  kubeVersion?: string;
  format: string;
  output?: string;
  patches?: boolean;
  verbose?: boolean;
  exitCode: number;
  color: boolean;
}


export function registerPss(program: Command, run: Runner): void {
  program
    .command('pss')
    .summary('evaluate workloads against the Pod Security Standards exactly as PodSecurity admission does')
    .description(
      [
        'Evaluates Pods and the pod templates of PodTemplate, ReplicationController, ReplicaSet, Deployment,',
        'DaemonSet, StatefulSet, Job and CronJob as the API server\'s PodSecurity admission would on create:',
        'same checks per level and policy version, same verdicts, same messages.',
        '',
        'Input: manifest files (Helm output, kubectl get -o yaml, directories, - for stdin), a cluster snapshot',
        '(--snapshot, from kharden collect --cluster) or the cluster itself (--cluster).',
        '',
        "By default each namespace's own policy applies: its pod-security.kubernetes.io/ labels (from Namespace",
        'objects in the manifests, or the cluster) over the defaults and exemptions of --admission-config.',
        '--level evaluates every namespace at one policy; --enforce previews labelling namespaces with a new',
        'enforce level, and shows a minimal securityContext patch for every workload it would break.',
        '',
        `"latest" is policy v1.${knownLatestVersion} (Kubernetes 1.${knownLatestVersion}); --kube-version 1.N evaluates latest as that release does.`,
        '',
        'Exit codes: 0 every object would be admitted (warnings allowed); 1 (or --exit-code) some Pod, or the',
        'pods of some controller, would be rejected; 2 bad flags, or nothing could be read; 3 the cluster could not',
        'be read (unreachable, or Namespaces not readable: their labels decide the policy).',
        '',
        'Examples:',
        '  kharden pss deploy/                                 each namespace as labelled in the manifests',
        '  helm template x ./chart | kharden pss - --level restricted',
        '  kharden pss --cluster --enforce restricted -n shop  what breaks if shop is labelled enforce=restricted',
        '  kharden pss deploy/ --admission-config psa.yaml -f json -o pss.json',
      ].join('\n'),
    )
    .argument('[paths...]', 'manifest files or directories (- for stdin); the same as --manifests')
    .option('--manifests <path>', 'manifest file, directory or - (repeatable)', collectRepeated)
    .option('--snapshot <file>', 'a cluster snapshot (kharden collect --cluster -o FILE)')
    .option('--cluster', 'evaluate what is in the cluster (kubeconfig as kubectl)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', 'only this namespace (manifests: also the namespace of objects that name none)')
    .option('-A, --all-namespaces', 'every namespace (the default)')
    .addOption(new Option('--level <level>', 'evaluate every namespace at this level').choices(['privileged', 'baseline', 'restricted']))
    .option('--version <version>', 'policy version for --level or --enforce: v1.N or latest (default latest)')
    .addOption(new Option('--enforce <level>', 'preview labelling every namespace pod-security.kubernetes.io/enforce=<level>').choices(['privileged', 'baseline', 'restricted']))
    .option('--admission-config <file>', 'PodSecurityConfiguration or AdmissionConfiguration (kube-apiserver --admission-control-config-file)')
    .option('--from-node', "use the admission configuration of k3s on this node (its kube-apiserver --admission-control-config-file)")
    .option('--root <dir>', 'with --from-node: where the node\'s filesystem is mounted (default /)')
    .option('--kube-version <1.N>', `Kubernetes release whose "latest" to use (default 1.${knownLatestVersion}, or the cluster's)`)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--patches', 'show the minimal securityContext patch under each failing object (always in JSON and with --enforce)')
    .option('-v, --verbose', 'list allowed objects too')
    .option('--exit-code <n>', 'exit code when some object would be rejected', parseExitCode, exitCodes.findings)
    .option('--no-color', 'no colours (also NO_COLOR)')
    .action(
      run(async (...args: unknown[]) => {
        const paths = (args[0] as string[] | undefined) ?? [];
        const flags = args[1] as PssFlags;
        return runPss(paths, flags);
      }),
    );
}

async function runPss(positional: string[], flags: PssFlags): Promise<number> {
  const inputs = [...(flags.manifests ?? []), ...positional];
  const chosen = [inputs.length > 0, flags.snapshot !== undefined, flags.cluster === true].filter(Boolean).length;
  if (chosen === 0) throw usageError('nothing to evaluate: give manifest paths (or --manifests PATH, - for stdin), --snapshot FILE or --cluster');
  if (chosen > 1) throw usageError('give one input: manifest paths, --snapshot FILE or --cluster');
  if (flags.level !== undefined && flags.enforce !== undefined) throw usageError('--level and --enforce cannot be combined: --level evaluates one policy, --enforce previews a new enforce label');
  if (flags.version !== undefined && flags.level === undefined && flags.enforce === undefined) throw usageError('--version needs --level or --enforce');
  if (flags.namespace !== undefined && flags.allNamespaces === true) throw usageError('-n and -A cannot be combined');
  const exitCodeOnReject = flags.exitCode;
  let version: PolicyVersion | undefined;
  if (flags.version !== undefined) {
    const parsed = parseVersion(flags.version);
    if (parsed.error !== undefined) throw usageError(`--version ${flags.version}: ${parsed.error}`);
    version = parsed.value;
  }
  let latestVersion = knownLatestVersion;
  const notices: string[] = [];
  if (flags.kubeVersion !== undefined) {
    const match = /^v?1\.(\d+)(\.\d+)?([-+].*)?$/.exec(flags.kubeVersion);
    if (match?.[1] === undefined) throw usageError(`--kube-version ${flags.kubeVersion}: expected 1.N (for example 1.35 or v1.35.4+k3s1)`);
    const minor = Number(match[1]);
    latestVersion = latestVersionForKubernetes(minor);
    if (minor > knownLatestVersion) notices.push(`Kubernetes 1.${minor} is newer than kharden knows; latest is evaluated as policy v1.${knownLatestVersion}`);
  }

  const isTTY = process.stdout.isTTY === true && flags.output === undefined;
  const terminal = processTerminal({
    color: flags.format === 'text' && colorEnabled({ noColorFlag: !flags.color, env: process.env, isTTY }),
    progress: progressEnabled(process.env, process.stderr.isTTY === true, flags.format === 'json'),
  });

  let configuration = emptyPodSecurityConfiguration;
  if (flags.fromNode === true) {
    if (flags.admissionConfig !== undefined) throw usageError('--from-node and --admission-config cannot be combined');
    const found = await readNodePodSecurityConfiguration(flags.root ?? '/');
    configuration = found.configuration;
    notices.push(
      found.file === null
        ? 'k3s on this node runs without --admission-control-config-file: the PodSecurity defaults are privileged:latest for every mode'
        : `admission configuration of k3s on this node: ${found.file} (${found.seenIn ?? 'kube-apiserver'})`,
    );
  } else if (flags.root !== undefined) {
    throw usageError('--root needs --from-node');
  }
  if (flags.admissionConfig !== undefined) {
    configuration = (await readPodSecurityConfiguration(flags.admissionConfig)).configuration;
  }
  if (configuration.exemptions.usernames.length > 0) {
    notices.push(
      `exemptions.usernames (${configuration.exemptions.usernames.join(', ')}) are not applied: they depend on who sends the request, which kharden cannot know`,
    );
  }

  const loaded = await loadInput(inputs, flags, terminal.progress);
  const { objects, problems, namespaces } = loaded;
  notices.push(...loaded.notices);
  if (loaded.kubernetesMinor !== undefined && flags.kubeVersion === undefined) {
    latestVersion = latestVersionForKubernetes(loaded.kubernetesMinor);
    notices.push(`the API server is Kubernetes 1.${loaded.kubernetesMinor}: latest is evaluated as policy v1.${latestVersion}, as it does`);
  }

  const level = flags.level === undefined ? undefined : (parseLevel(flags.level).value as Level);
  const enforce = flags.enforce === undefined ? undefined : (parseLevel(flags.enforce).value as Level);
  const fixedPolicy: LevelVersion | undefined = level === undefined ? undefined : { level, version: version ?? 'latest' };
  if (fixedPolicy === undefined && enforce === undefined && flags.admissionConfig === undefined && flags.fromNode !== true && ![...namespaces.values()].some((entry) => hasPolicyLabel(entry.labels))) {
    notices.push('no namespace has pod-security.kubernetes.io/ labels and no --admission-config was given, so nothing is enforced; use --level or --enforce to preview a policy');
  }
  terminal.progress(`evaluating ${objects.length} objects`);
  const report = assessWorkloads(objects, problems, namespaces, {
    configuration,
    configurationGiven: flags.admissionConfig !== undefined || flags.fromNode === true,
    ...(fixedPolicy === undefined ? {} : { fixedPolicy }),
    ...(enforce === undefined ? {} : { enforcePreview: version === undefined ? { level: enforce } : { level: enforce, version } }),
    latestVersion,
    defaultNamespace: flags.namespace ?? 'default',
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    generatedAt: new Date().toISOString(),
    kharden: khardenVersion,
    notices,
  });
  if (objects.length === 0 && problems.length === 0) report.notices.push(`no Kubernetes objects found in ${loaded.source}`);

  const output =
    flags.format === 'json'
      ? renderPssJson(report)
      : renderPssText(report, { colors: terminal.colors, verbose: flags.verbose === true, patches: flags.patches === true || enforce !== undefined });
  await writeOutput(output, flags.output, terminal.out);

  if (objects.length === 0) {
    if (problems.length > 0) terminal.err(`kharden: nothing could be read: ${problems.length} document${problems.length === 1 ? '' : 's'} with problems\n`);
    else terminal.err('kharden: no Kubernetes objects found\n');
    return exitCodes.usage;
  }
  return report.summary.rejected > 0 ? exitCodeOnReject : exitCodes.ok;
}

function hasPolicyLabel(labels: Readonly<Record<string, string>> | undefined): boolean {
  return labels !== undefined && Object.keys(labels).some((key) => key.startsWith('pod-security.kubernetes.io/'));
}

interface LoadedInput {
  objects: SourcedObject[];
  problems: ObjectProblem[];
  namespaces: Map<string, NamespaceInput>;
  notices: string[];
  /** The API server's Kubernetes minor, when known (cluster or snapshot). */
  kubernetesMinor?: number;
  source: string;
}

/** The kinds Pod Security admission evaluates (PodTemplate is not collected: it is rarely used and never run). */
const pssKinds: ClusterKindName[] = ['Namespace', 'Pod', 'ReplicationController', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

async function loadInput(inputs: string[], flags: PssFlags, progress: (message: string) => void): Promise<LoadedInput> {
  if (inputs.length > 0) {
    progress(`reading ${inputs.join(', ')}`);
    const set = await loadManifests(inputs);
    return { objects: set.objects, problems: set.problems, namespaces: namespacesFromObjects(set.objects), notices: [], source: inputs.join(', ') };
  }
  if (flags.snapshot !== undefined) {
    const file = flags.snapshot;
    const text = await readSnapshotText(file);
    return fromFacts(parseClusterSnapshot(text, file), `snapshot ${file}`, flags);
  }
  // Loaded only when needed: the Kubernetes client takes a while to import.
  const { collectClusterFacts } = await import('../../collect/cluster.ts');
  const facts = await collectClusterFacts({
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { context: flags.context }),
    kinds: pssKinds,
    ...(flags.namespace === undefined ? {} : { namespaces: [flags.namespace] }),
    progress,
  });
  return fromFacts(facts, facts.server === null ? 'the cluster' : `cluster ${facts.server.url}`, flags);
}

/**
 * Objects and namespace labels from cluster facts. Without the Namespace objects the policy of each namespace
 * is unknown, so that is a collection failure (never a silent "allowed") unless --level fixes the policy.
 */
function fromFacts(facts: ClusterFacts, source: string, flags: PssFlags): LoadedInput {
  const notices = [...facts.notes];
  let workloadKindsRead = 0;
  for (const access of facts.access) {
    if (!(pssKinds as string[]).includes(access.kind)) continue;
    if (access.state === 'listed' || access.state === 'files') {
      if (access.kind !== 'Namespace') workloadKindsRead++;
      continue;
    }
    const why =
      access.missing !== undefined
        ? `forbidden (needs ${access.missing.verb} ${access.missing.resource})`
        : access.state === 'skipped'
          ? 'not in the snapshot'
          : access.state === 'not-served'
            ? 'not served'
            : (access.message ?? access.state);
    if (access.kind === 'Namespace') {
      if (flags.level === undefined) {
        throw collectError(`Namespace objects could not be read from ${source}: ${why}; their pod-security.kubernetes.io/ labels decide each namespace's policy (use --level to evaluate at one policy without them)`);
      }
      notices.push(`Namespace objects could not be read (${why}); --level decides the policy`);
      continue;
    }
    notices.push(`${access.kind} objects could not be read (${why}): they are not evaluated`);
  }
  if (workloadKindsRead === 0) throw collectError(`no workload could be read from ${source}: ${notices.join('; ')}`);
  const version = facts.server?.version ?? null;
  const minor = version === null ? undefined : /^v?1\.(\d+)/.exec(version)?.[1];
  return {
    objects: facts.objects,
    problems: facts.problems,
    namespaces: namespacesFromObjects(facts.objects),
    notices,
    ...(minor === undefined ? {} : { kubernetesMinor: Number(minor) }),
    source,
  };
}
