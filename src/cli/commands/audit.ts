import type { Command } from 'commander';
import type { Runner } from '../runner.ts';

export function registerAudit(program: Command, run: Runner): void {
  program
    .command('audit')
    .description('(not built yet)')
    .action(run(async () => {
      process.stderr.write('kharden audit: not built yet\n');
      return 2;
    }));
}
