// audit verify: seals what is pending, then walks every chain. Exit 0 when intact; 2 and one line
// naming the first broken entry otherwise.
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { runAdmin } from './dispatch.ts';

const REASONS = {
  altered: 'content altered (its hash does not match)',
  missing: 'entry missing (deleted)',
  reordered: 'entries out of order (previous hash does not match)',
  truncated: 'entries missing at the end of the chain (the head records more)',
  empty: 'no journal at all (it should start with the creation of the collectivité)',
} as const;

export function registerAuditCommands(program: Command, config: () => Config): void {
  const audit = program.command('audit').description('the audit journal');
  audit
    .command('verify')
    .description('check the hash chains (exit 0 when intact, 2 when broken)')
    .option('--tenant <slug>', 'only this collectivité')
    .action(async (o: { tenant?: string }) => {
      const result = await runAdmin(config(), 'audit.verify', { tenant: o.tenant });
      if (result.problem) {
        const p = result.problem;
        const who = result.slug ? `${result.slug} (${p.tenantId})` : p.tenantId;
        console.error(`journal broken: ${who}, position ${p.position}${p.entryId ? `, entry ${p.entryId}` : ''}: ${REASONS[p.reason]}`);
        process.exitCode = 2;
        return;
      }
      console.log(`journal intact: ${result.checked} entries checked${result.unsealed ? `, ${result.unsealed} not yet sealed` : ''}`);
    });
}
