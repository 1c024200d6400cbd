// user add, token create / list / revoke.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { CliError } from './errors.ts';
import { runAdmin } from './dispatch.ts';
import { promptHidden } from './prompt.ts';
import { isRole } from '../core/base/roles.ts';
import { passwordProblems } from '../core/auth/passwords.ts';

// Checked here as well as by the operation, so that a typo is refused before the database is opened.
function checkRole(role: string | undefined): void {
  if (role !== undefined && !isRole(role)) throw new CliError(`unknown role "${role}"`);
}
function checkPassword(password: string): void {
  const problems = passwordProblems(password);
  if (problems.includes('too_short')) throw new CliError('the password must have at least 12 characters');
  if (problems.includes('too_long')) throw new CliError('the password must have at most 256 characters');
}

interface UserAddOptions {
  email: string;
  name: string;
  password?: string;
  tenant?: string;
  role?: string;
  hostOperator?: boolean;
}

/** --password, else typed twice on a terminal, else generated (and printed once). */
async function choosePassword(o: UserAddOptions): Promise<{ password: string; generated: boolean }> {
  if (o.password !== undefined) return { password: o.password, generated: false };
  if (process.stdin.isTTY) {
    const first = await promptHidden('Password (12 characters or more): ');
    const second = await promptHidden('Same password again: ');
    if (first !== second) throw new CliError('the two passwords differ');
    return { password: first, generated: false };
  }
  return { password: randomBytes(18).toString('base64url'), generated: true };
}

export function registerPeopleCommands(program: Command, config: () => Config): void {
  const user = program.command('user').description('accounts (one per person, across collectivités)');
  user
    .command('add')
    .description('create an account, or give an existing one a role in a collectivité')
    .requiredOption('--email <email>', 'email address (the sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .option('--password <password>', 'password (default: asked on a terminal, generated and printed otherwise)')
    .option('--tenant <slug>', 'collectivité in which to give a role')
    .option('--role <role>', 'citizen, mediator, agent, procedure_admin, data_steward, archivist, moderator or tenant_admin')
    .option('--host-operator', 'may administer the whole installation')
    .action(async (o: UserAddOptions) => {
      if (Boolean(o.tenant) !== Boolean(o.role)) throw new CliError('give --tenant and --role together');
      checkRole(o.role);
      const { password, generated } = await choosePassword(o);
      checkPassword(password);
      const result = await runAdmin(config(), 'user.add', {
        email: o.email,
        name: o.name,
        password,
        generated,
        tenant: o.tenant,
        role: o.role,
        hostOperator: o.hostOperator ?? false,
      });
      console.log(`${result.created ? 'created' : 'existing'}\t${o.email}\t${result.id}`);
      if (result.created && generated) console.log(`password\t${password}`);
    });

  const token = program.command('token').description('API bearer tokens');
  token
    .command('create')
    .description('create an API token; prints only the token (shown once, stored hashed)')
    .requiredOption('--tenant <slug>', 'collectivité the token acts in')
    .requiredOption('--role <role>', 'role the token holds')
    .option('--email <email>', 'person the token acts for')
    .option('--label <label>', 'what the token is for')
    .action(async (o: { tenant: string; role: string; email?: string; label?: string }) => {
      checkRole(o.role);
      const created = await runAdmin(config(), 'token.create', { tenant: o.tenant, role: o.role, email: o.email, label: o.label });
      console.log(created.token);
    });
  token
    .command('list')
    .description("list a collectivité's API tokens (never the tokens themselves): id, role, person, label, created, last used, revoked")
    .requiredOption('--tenant <slug>', 'collectivité')
    .action(async (o: { tenant: string }) => {
      const rows = await runAdmin(config(), 'token.list', { tenant: o.tenant });
      for (const r of rows) console.log([r.id, r.role, r.email ?? '-', r.label || '-', r.created_at, r.last_used_at ?? '-', r.revoked_at ?? '-'].join('\t'));
    });
  token
    .command('revoke')
    .description(
      'revoke an API token: refused at once by a running server reached through its socket, within BASTIDE_API_TOKEN_CACHE_SECONDS by other server processes',
    )
    .requiredOption('--tenant <slug>', 'collectivité')
    .argument('<id>', 'token id (from token list)')
    .action(async (id: string, o: { tenant: string }) => {
      const result = await runAdmin(config(), 'token.revoke', { tenant: o.tenant, id });
      console.log(`${result.revoked ? 'revoked' : 'already revoked'}\t${result.id}`);
    });
}
