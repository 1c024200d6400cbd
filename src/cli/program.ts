// The `bastide` command line: every command reads the same configuration as the server. Errors are one
// clear line on stderr and a non-zero exit status.
import { Command } from 'commander';
import type { Config } from '../config.ts';
import { registerServerCommands } from './server-commands.ts';
import { registerTenantCommands } from './tenant-commands.ts';
import { registerPeopleCommands } from './people-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerBackupCommands } from './backup-commands.ts';
import { registerDataCommands } from './data-commands.ts';
import { registerArchivesCommands } from './archives-commands.ts';
import { registerFilesCommands } from './files-commands.ts';

export function buildCli(config: () => Config): Command {
  const program = new Command('bastide')
    .description('Bastide, the shared digital platform of local authorities')
    // Usage mistakes too are one line, in the same form as every other error.
    .configureOutput({ outputError: (text, write) => write(`bastide: ${text.replace(/^error: /, '').trim()} (see bastide --help)\n`) });
  registerServerCommands(program, config);
  registerTenantCommands(program, config);
  registerPeopleCommands(program, config);
  registerAuditCommands(program, config);
  registerBackupCommands(program, config);
  registerDataCommands(program);
  registerArchivesCommands(program, config);
  registerFilesCommands(program, config);
  return program;
}
