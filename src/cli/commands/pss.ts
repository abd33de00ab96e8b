import type { Command } from 'commander';
import type { Runner } from '../runner.ts';

export function registerPss(program: Command, run: Runner): void {
  program
    .command('pss')
    .description('(not built yet)')
    .action(run(async () => {
      process.stderr.write('kharden pss: not built yet\n');
      return 2;
    }));
}
