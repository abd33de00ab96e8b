import { execFileSync } from 'node:child_process';
import { type Command, Option } from 'commander';
import { selectBenchmark } from '../../cis/benchmarks/selection.ts';
import { collectNodeFacts } from '../../collect/node.ts';
import { applyError, usageError } from '../../core/errors.ts';
import type { NodeFacts, Role } from '../../facts/node-facts.ts';
import { applyOperations } from '../../harden/apply.ts';
import { listBackups } from '../../harden/backup-store.ts';
import { benchmarkParams, supportedMinors } from '../../harden/benchmark-params.ts';
import { attributeControls } from '../../harden/control-attribution.ts';
import { nodeAudit } from '../../harden/configured-audit.ts';
import { readCurrentFiles } from '../../harden/current-files.ts';
import { kernelMismatches, loadKernelParams } from '../../harden/kernel-runtime.ts';
import { buildPlan, type HardenOptions, type HardenPlan, pathsToRead, type PlanInput } from '../../harden/plan.ts';
import { renderApplyText, renderBackupsText, renderPlanText, renderRollbackText } from '../../harden/plan-text.ts';
import { rollback } from '../../harden/rollback.ts';
import { coveredMinorLines } from '../../k3s/component-defaults.ts';
import { parseK3sVersion } from '../../k3s/version.ts';
import { exitCodes } from '../exit-code.ts';
import { rootDirectory } from '../root-directory.ts';
import type { Runner } from '../runner.ts';
import { colorEnabled, processTerminal, type Terminal } from '../terminal.ts';

interface HardenFlags {
  apply?: boolean;
  applySysctl?: boolean;
  restart?: boolean;
  listBackups?: boolean;
  root: string;
  role?: Role;
  k3sVersion?: string;
  psaLevel: 'restricted' | 'baseline';
  psaExemptNamespaces: string;
  netpolNamespaces?: string;
  auditLogDir?: string;
  netpol: boolean;
  secretsEncryption: boolean;
  format: 'text' | 'json';
  color: boolean;
}

export function registerHarden(program: Command, run: Runner): void {
  program
    .command('harden')
    .summary('plan, show and apply the k3s CIS hardening guide for this node (dry run by default)')
    .description(
      [
        "Turns the k3s CIS hardening guide into files for this node's role and k3s version and shows exactly",
        'what would change: every file with its unified diff, mode and owner, the benchmark controls each change',
        'fixes, what files cannot fix, and whether k3s must restart. Nothing is written without --apply.',
        '',
        'Writes: /etc/sysctl.d/90-kubelet.conf; the k3s drop-in config.yaml.d/90-kharden.yaml (key+ lists: your',
        'config.yaml is never rewritten, your own settings are shown as conflicts, never overwritten); on servers',
        'server/psa.yaml (Pod Security + EventRateLimit), server/audit.yaml and the audit log directory (700),',
        'NetworkPolicies in server/manifests/ (PodSecurityPolicies on k3s 1.24 and older); file modes and owners',
        'the benchmark asks for. Every apply is atomic per file and backed up: `kharden rollback` undoes it.',
        '',
        'Exit codes: 0 done (or nothing to do); 2 bad flags, unknown role/version, an option that contradicts the',
        "node, a config file that does not parse (nothing written); 4 the apply failed (read-only, full, locked;",
        'every file restored).',
      ].join('\n'),
    )
    .option('--apply', 'write the plan (atomically, with backups)')
    .option('--apply-sysctl', 'with --apply: also load the kernel parameters into the running kernel now')
    .option('--restart', `with --apply: restart k3s (systemctl restart k3s / k3s-agent) when the plan needs it`)
    .option('--list-backups', 'list the applies made on this root and exit')
    .option('--root <dir>', 'harden the node filesystem mounted at DIR (an image before it is flashed)', '/')
    .addOption(new Option('--role <role>', "the node's k3s role (default: from the node)").choices(['server', 'agent']))
    .option('--k3s-version <version>', "the node's k3s version, e.g. v1.31.4+k3s1 (default: from the node)")
    .addOption(new Option('--psa-level <level>', 'Pod Security level enforced by default').choices(['restricted', 'baseline']).default('restricted'))
    .option('--psa-exempt-namespaces <list>', 'comma-separated namespaces exempt from Pod Security', 'kube-system')
    .option('--netpol-namespaces <list>', 'more namespaces to give the intra-namespace NetworkPolicy (besides kube-system, kube-public, default)')
    .option('--audit-log-dir <dir>', 'directory for the API server audit log (default DATA_DIR/server/logs)')
    .option('--no-netpol', 'do not write NetworkPolicies')
    .option('--no-secrets-encryption', 'do not turn on secrets-encryption')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours (also NO_COLOR)')
    .action(run(async (...args: unknown[]) => hardenAction(args[0] as HardenFlags)));

  program
    .command('rollback')
    .summary('restore the files of the last kharden apply (or apply ID) from its backups')
    .description('Restores content, modes and owners of every file an apply replaced and removes the files and directories it created.\nRoll back the newest apply first. Safe to repeat after an interruption.')
    .argument('[id]', 'the apply to roll back (kharden harden --list-backups); default the newest')
    .option('--root <dir>', 'the node filesystem mounted at DIR', '/')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours (also NO_COLOR)')
    .action(
      run(async (...args: unknown[]) => {
        const id = args[0] as string | undefined;
        const flags = args[1] as { root: string; format: 'text' | 'json'; color: boolean };
        const root = await rootDirectory(flags.root);
        const terminal = terminalFor(flags.color);
        const result = rollback(root, id);
        terminal.out(flags.format === 'json' ? `${JSON.stringify({ apiVersion: 'kharden.dev/v1', kind: 'HardenRollback', ...result }, null, 2)}\n` : renderRollbackText(result, terminal.colors));
        return exitCodes.ok;
      }),
    );
}

function terminalFor(color: boolean): Terminal {
  return processTerminal({ color: colorEnabled({ noColorFlag: !color, env: process.env, isTTY: process.stdout.isTTY === true }), progress: false });
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
function namespaceList(flag: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) if (!dnsLabel.test(name) || name.length > 63) throw usageError(`${flag}: "${name}" is not a valid namespace name`);
  return [...new Set(names)];
}

async function hardenAction(flags: HardenFlags): Promise<number> {
  const terminal = terminalFor(flags.color);
  if ((flags.applySysctl === true || flags.restart === true) && flags.apply !== true) throw usageError('--apply-sysctl and --restart go with --apply');
  const root = await rootDirectory(flags.root);
  const live = root === '/';
  if (flags.listBackups === true) {
    const backups = listBackups(root).map((backup) => backup.manifest);
    terminal.out(flags.format === 'json' ? `${JSON.stringify({ apiVersion: 'kharden.dev/v1', kind: 'HardenBackupList', items: backups }, null, 2)}\n` : renderBackupsText(backups, terminal.colors));
    return exitCodes.ok;
  }
  if (flags.restart === true && !live) throw usageError('--restart restarts k3s on this machine: it cannot go with --root');
  if (flags.auditLogDir !== undefined && (!flags.auditLogDir.startsWith('/') || flags.auditLogDir.split('/').includes('..'))) {
    throw usageError(`--audit-log-dir ${flags.auditLogDir}: give an absolute path on the node`);
  }
  const options: HardenOptions = {
    psaLevel: flags.psaLevel,
    psaExemptNamespaces: namespaceList('--psa-exempt-namespaces', flags.psaExemptNamespaces),
    netpol: flags.netpol,
    secretsEncryption: flags.secretsEncryption,
    netpolNamespaces: namespaceList('--netpol-namespaces', flags.netpolNamespaces),
  };
  if (flags.auditLogDir !== undefined) options.auditLogDir = flags.auditLogDir.replace(/\/+$/, '');

  const facts = await collectNodeFacts({ root, mode: live ? 'live' : 'root', ...(live ? {} : { journalctl: null }) });
  const broken = facts.k3s.configFiles.filter((file) => file.error !== undefined);
  if (broken.length > 0) {
    throw usageError(
      `${broken.map((file) => `${file.path}${file.error?.line === undefined ? '' : `:${file.error.line}`}: ${file.error?.message ?? ''}`).join('\n')}\nfix the k3s configuration first (k3s would not start with it either); nothing was written`,
    );
  }
  const role = resolveRole(facts, flags.role, flags.root);
  const version = resolveVersion(facts, flags.k3sVersion, flags.root);
  const selected = selectBenchmark(version.text);
  const audited = version.minor >= coveredMinorLines.from && version.minor <= coveredMinorLines.to;
  const benchmark = audited
    ? benchmarkParams(selected.benchmark)
    : { id: 'k3s-hardening-guide', title: `k3s CIS hardening guide for 1.${version.minor}`, seccompDefault: false, certMode: 0o600, clientCaMode: 0o600 };
  const input: PlanInput = { facts, target: { role, version: version.text, minor: version.minor, benchmark }, options, root: flags.root };
  let plan: HardenPlan = buildPlan(input, readCurrentFiles(root, pathsToRead(input)));
  if (audited) {
    const catalog = new Map(selected.benchmark.controls.map((entry) => [entry.id, entry.implementation]));
    plan = attributeControls(plan, facts, nodeAudit(selected.benchmark.id, 'configured'), catalog, { loadKernel: flags.applySysctl === true });
    if (selected.choice.note !== undefined) plan.notices.push(`benchmark: ${selected.choice.note}`);
  } else {
    plan.notices.push(
      `kharden's benchmarks cover k3s 1.${coveredMinorLines.from}-1.${coveredMinorLines.to}: this plan follows the k3s hardening guide for 1.${version.minor}, but which controls it fixes cannot be checked`,
    );
  }

  if (flags.apply !== true) {
    terminal.out(flags.format === 'json' ? `${JSON.stringify(planJson(plan), null, 2)}\n` : renderPlanText(plan, terminal.colors, 'dry-run'));
    return exitCodes.ok;
  }

  const result = applyOperations(root, plan.changes.map((change) => change.operation), {
    summary: `k3s ${version.text} ${role}: ${plan.changes.length} change${plan.changes.length === 1 ? '' : 's'}`,
    rollbackOnError: true,
  });
  const output: Record<string, unknown> = { plan: planJson(plan), backup: result.id };
  const text: string[] = [renderPlanText(plan, terminal.colors, 'apply'), renderApplyText(result, terminal.colors)];
  if (flags.applySysctl === true) {
    const loaded = loadKernelParams(root);
    output.kernel = loaded;
    text.push(
      loaded.unavailable !== null
        ? `Kernel parameters: ${loaded.unavailable}\n`
        : `Kernel parameters loaded now: ${loaded.loaded.length === 0 ? 'all already set' : loaded.loaded.map((item) => `${item.key} ${item.from} -> ${item.to}`).join(', ')}\n`,
    );
  }
  if (flags.restart === true && plan.restart.required && result.id !== null) {
    const mismatches = kernelMismatches(root);
    if (mismatches.length > 0) {
      throw applyError(`not restarting k3s: the running kernel has ${mismatches.join(', ')} and the kubelet would refuse to start with protect-kernel-defaults; use --apply-sysctl (the files are applied, backup ${result.id})`);
    }
    const [command = 'systemctl', ...args] = plan.restart.command.split(' ');
    try {
      execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (error) {
      throw applyError(`${command} ${args.join(' ')} failed: ${(error as Error).message} (the files are applied, backup ${result.id})`, error);
    }
    output.restarted = plan.restart.service;
    text.push(`Restarted ${plan.restart.service}.\n`);
  }
  terminal.out(flags.format === 'json' ? `${JSON.stringify({ apiVersion: 'kharden.dev/v1', kind: 'HardenApply', ...output }, null, 2)}\n` : text.join(''));
  return exitCodes.ok;
}

function resolveRole(facts: NodeFacts, flag: Role | undefined, root: string): Role {
  const seen = facts.k3s.role;
  if (flag !== undefined && seen !== null && seen.value !== flag) {
    throw usageError(`--role ${flag} contradicts the node: k3s runs as ${seen.value} here (${seen.source.path ?? seen.source.kind}); nothing was written`);
  }
  const role = flag ?? seen?.value;
  if (role === undefined) throw usageError(`cannot tell whether ${root === '/' ? 'this node' : root} is a k3s server or agent (no k3s service, process or data found): pass --role server|agent`);
  return role;
}

function resolveVersion(facts: NodeFacts, flag: string | undefined, root: string): { text: string; minor: number } {
  const fromFlag = flag === undefined ? null : parseK3sVersion(flag);
  if (flag !== undefined && fromFlag === null) throw usageError(`--k3s-version ${flag}: not a k3s version (like v1.31.4+k3s1)`);
  const fromNode = facts.k3s.version === null ? null : parseK3sVersion(facts.k3s.version.value);
  if (fromFlag !== null && fromNode !== null && (fromFlag.major !== fromNode.major || fromFlag.minor !== fromNode.minor || fromFlag.patch !== fromNode.patch)) {
    throw usageError(`--k3s-version ${flag ?? ''} contradicts the node: it runs k3s ${fromNode.text} (${facts.k3s.version?.source.path ?? 'k3s'}); nothing was written`);
  }
  const version = fromFlag ?? fromNode;
  if (version === null) throw usageError(`cannot tell the k3s version of ${root === '/' ? 'this node' : root}: pass --k3s-version (like v1.31.4+k3s1)`);
  if (version.major !== 1 || version.minor < supportedMinors.from || version.minor > supportedMinors.to) {
    throw usageError(`k3s ${version.text} is not supported: kharden harden knows k3s 1.${supportedMinors.from} to 1.${supportedMinors.to}`);
  }
  return { text: version.text, minor: version.minor };
}

/** The plan as JSON: operations carry the full new content; diffs are kept for people. */
function planJson(plan: HardenPlan): unknown {
  return {
    ...plan,
    changes: plan.changes.map(({ operation, ...change }) => ({ ...change, content: operation.op === 'write' ? operation.content : undefined, mode: change.mode.toString(8).padStart(4, '0') })),
  };
}
