import type { Colors } from '../cli/terminal.ts';
import type { Source } from '../core/source.ts';
import type { ApplyResult } from './apply.ts';
import type { BackupManifest } from './backup-store.ts';
import { type Activation, type HardenPlan, octal, type PlannedChange } from './plan.ts';
import type { RollbackResult } from './rollback.ts';

/** The plan as a person reads it: each change with its diff, what it fixes and when it takes effect. */
export function renderPlanText(plan: HardenPlan, colors: Colors, mode: 'dry-run' | 'apply'): string {
  const lines: string[] = [];
  const where = plan.node.root === '/' ? 'this node' : `the node at ${plan.node.root}`;
  lines.push(colors.bold(`kharden harden: k3s ${plan.node.k3sVersion} ${plan.node.role} (${plan.benchmark.title}), ${where}`));
  if (plan.changes.length === 0) {
    lines.push('', colors.green('Nothing to change: the node already has every setting and file kharden would write.'));
  } else {
    lines.push('', colors.bold(`Changes (${plan.changes.length}):`));
    for (const change of plan.changes) lines.push(...renderChange(change, colors));
  }
  if (plan.alreadySet.length > 0) {
    lines.push('', colors.bold(`Already set in your configuration (${plan.alreadySet.length}):`));
    for (const set of plan.alreadySet) lines.push(`  ${set.setting}  ${colors.dim(`(${describe(set.source)}${set.note === undefined ? '' : `; ${set.note}`})`)}`);
  }
  if (plan.conflicts.length > 0) {
    lines.push('', colors.bold(colors.yellow(`Conflicts: your settings are left as they are (${plan.conflicts.length}):`)));
    for (const conflict of plan.conflicts) {
      lines.push(`  ${colors.yellow('!')} ${conflict.reason}${conflict.source === null ? '' : colors.dim(` (${describe(conflict.source)})`)}`);
    }
  }
  if (plan.afterRestart !== undefined && plan.afterRestart.length > 0) {
    lines.push('', colors.bold(`Pass once k3s has restarted or the kernel parameters are loaded (${plan.afterRestart.length}):`));
    for (const item of plan.afterRestart) lines.push(`  ${item.id ?? '-'} ${item.title}`, `      ${colors.dim(item.remediation)}`);
  }
  if (plan.manual.length > 0) {
    lines.push('', colors.bold(`Not fixed by files: do by hand or decide (${plan.manual.length}):`));
    for (const item of plan.manual) lines.push(`  ${item.id === undefined ? '-' : item.id} ${item.title}`, `      ${colors.dim(item.remediation)}`);
  }
  if (plan.notices.length > 0) {
    lines.push('', colors.bold('Notes:'));
    for (const notice of plan.notices) lines.push(`  - ${notice}`);
  }
  lines.push('', ...renderKernel(plan, colors), ...renderRestart(plan, colors));
  if (mode === 'dry-run' && plan.changes.length > 0) lines.push('', colors.dim('Dry run: nothing was written. Run with --apply to write these changes (backed up; kharden rollback undoes them).'));
  return `${lines.join('\n')}\n`;
}

function renderChange(change: PlannedChange, colors: Colors): string[] {
  const owner = `${change.uid === 0 ? 'root' : change.uid}:${change.gid === 0 ? 'root' : change.gid}`;
  const before = change.before === null ? '' : colors.dim(` (was ${octal(change.before.mode)} ${change.before.uid}:${change.before.gid})`);
  const lines = [
    '',
    `  ${colors.cyan(change.action.padEnd(11))} ${colors.bold(change.path)}  ${octal(change.mode)} ${owner}${change.action === 'modify' || change.action === 'create' || change.action === 'mkdir' ? '' : before}`,
    `              ${change.what}`,
    `              fixes: ${change.controls.length === 0 ? colors.dim('no node control by itself') : change.controls.join(', ')}`,
    ...(change.clusterControls !== undefined && change.clusterControls.length > 0 ? [`              cluster: ${change.clusterControls.join(', ')} ${colors.dim('(judged by kharden audit --cluster)')}`] : []),
    `              takes effect: ${activationText[change.activation]}`,
  ];
  if (change.diff !== null && change.diff !== '') {
    for (const line of change.diff.trimEnd().split('\n')) {
      const colored = line.startsWith('+') && !line.startsWith('+++') ? colors.green(line) : line.startsWith('-') && !line.startsWith('---') ? colors.red(line) : line.startsWith('@@') ? colors.cyan(line) : line;
      lines.push(`      ${colored}`);
    }
  }
  return lines;
}

const activationText: Record<Activation, string> = {
  'k3s-restart': 'when k3s restarts',
  immediate: 'immediately',
  'boot-or-apply-sysctl': 'at the next boot, or now with --apply-sysctl',
  'k3s-manifests': 'k3s applies it within a minute (or at its next start)',
};

function renderKernel(plan: HardenPlan, colors: Colors): string[] {
  const lines: string[] = [];
  for (const override of plan.sysctl.overrides) {
    lines.push(colors.yellow(`! ${override.path}${override.line === undefined ? '' : `:${override.line}`} sets ${override.key} = ${override.value} after 90-kubelet.conf; at boot it wins over ${override.wanted}`));
  }
  if (plan.sysctl.runtimeMismatch.length > 0) {
    lines.push(
      colors.yellow(
        `! The running kernel has ${plan.sysctl.runtimeMismatch.map((item) => `${item.key}=${item.value} (wants ${item.wanted})`).join(', ')}: with protect-kernel-defaults the kubelet will not start until they are loaded (--apply-sysctl, or reboot) — do that before restarting k3s.`,
      ),
    );
  }
  return lines;
}

function renderRestart(plan: HardenPlan, colors: Colors): string[] {
  if (!plan.restart.required) return [colors.dim('No k3s restart needed.')];
  return [
    colors.bold(`Restart needed: k3s reads ${plan.restart.reasons.join(', ')} only when it starts.`),
    `  Run \`${plan.restart.command}\` when ready, or harden with --apply --restart. Until then the running-state audit still shows the old values.`,
  ];
}

function describe(source: Source): string {
  return source.path === undefined ? source.kind : source.line === undefined ? source.path : `${source.path}:${source.line}`;
}

export function renderApplyText(result: ApplyResult, colors: Colors): string {
  if (result.id === null) return `${colors.green('Nothing to change: a second --apply is a no-op.')}\n`;
  return `${colors.green(`Applied ${result.entries.length} change${result.entries.length === 1 ? '' : 's'}`)} (backup ${result.id}; undo with \`kharden rollback ${result.id}\`).\n`;
}

export function renderBackupsText(backups: readonly BackupManifest[], colors: Colors): string {
  if (backups.length === 0) return 'No kharden applies on this root.\n';
  const lines = [colors.bold('Applies on this root (newest last):')];
  for (const backup of backups) lines.push(`  ${backup.id}  ${backup.state.padEnd(11)} ${backup.createdAt}  ${backup.summary}  (${backup.entries.length} paths)`);
  return `${lines.join('\n')}\n`;
}

export function renderRollbackText(result: RollbackResult, colors: Colors): string {
  const lines = [colors.bold(`Rolled back ${result.id} (${result.summary}):`)];
  for (const outcome of result.outcomes) {
    lines.push(`  ${outcome.action.padEnd(20)} ${outcome.path}`);
    if (outcome.changedSinceApply !== undefined) lines.push(colors.yellow(`      it had been edited after the apply; that version is saved as ${outcome.changedSinceApply}`));
  }
  return `${lines.join('\n')}\n`;
}
