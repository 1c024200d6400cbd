// The retention sweep (scheduled job `procedures.retention.sweep`), per collectivité and procedure:
// - decided dossiers whose decision is older than the procedure's `retention.days` are, per its
//   `after_decision`: flagged for the archive module (kept as they are), anonymised (answers that
//   identify someone, the applicant, messages and attachments removed; state, dates, group and the
//   statistical answers — choices, yes/no, territories — kept), or deleted;
// - drafts get a reminder email `remind_before_days` before they expire, and are deleted once
//   untouched for `expire_after_days` (90 by default).
// Each dossier is handled in a short transaction of its batch, with its journal entry.
import type { Database, Tx } from '../../../core/db/database.ts';
import type { Config } from '../../../config.ts';
import { journal } from '../../../core/audit/journal.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import type { FieldDefinition } from '../fields/definition.ts';
import { operationsSettings, type OperationsSettings } from '../operations/settings.ts';
import { trackingCodeFor } from '../tracking-code.ts';
import { dossierLink } from '../notifications/notify.ts';

/** Job kind of the retention sweep (scheduled hourly by ops.ts). */
export const RETENTION_JOB = 'procedures.retention.sweep';

const BATCH = 200;
const DAY_MS = 86_400_000;
/** Answers that describe without identifying: what statistics are made of. */
const STATISTICAL_TYPES = new Set(['choice', 'dropdown', 'multiple_choice', 'yes_no', 'checkbox', 'commune', 'epci', 'departement']);

export interface SweepResult {
  archived: number;
  anonymised: number;
  deleted: number;
  reminded: number;
  expired: number;
}

export function anonymisedData(fields: FieldDefinition[], data: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const f of fields) if (STATISTICAL_TYPES.has(f.type) && data[f.key] !== undefined) kept[f.key] = data[f.key];
  return kept;
}

async function anonymiseRow(tx: Tx, id: string, fields: FieldDefinition[], data: Record<string, unknown>): Promise<void> {
  await tx.execute(
    `update dossiers set data = $2, applicant_email = null, applicant_person_id = null, mediation = null, search = null,
            tracking_code_hash = null, idempotency_key = null, labels = '{}', updated_at = now()
     where tenant_id = app_tenant() and id = $1`,
    [id, JSON.stringify(anonymisedData(fields, data))],
  );
  await tx.execute('delete from dossier_attachments where tenant_id = app_tenant() and dossier_id = $1', [id]);
  await tx.execute('delete from dossier_messages where tenant_id = app_tenant() and dossier_id = $1', [id]);
}

/** Anonymises one dossier of the transaction's collectivité as the "anonymise" retention does (also after archiving). */
export async function anonymiseDossier(tx: Tx, id: string): Promise<void> {
  const d = await tx.one<{ data: Record<string, unknown>; definition: { fields?: FieldDefinition[] } }>(
    `select d.data, r.definition from dossiers d
     join procedure_revisions r on r.tenant_id = d.tenant_id and r.procedure_id = d.procedure_id and r.revision = d.revision
     where d.tenant_id = app_tenant() and d.id = $1`,
    [id],
  );
  if (d) await anonymiseRow(tx, id, d.definition.fields ?? [], d.data ?? {});
}

async function applyDecisionRule(
  tx: Tx,
  procedureId: string,
  rule: NonNullable<OperationsSettings['retention']>,
  now: Date,
  result: SweepResult,
): Promise<number> {
  const due = await tx.query<{ id: string; number: string; data: Record<string, unknown>; definition: { fields?: FieldDefinition[] } }>(
    `select d.id, d.number::text as number, d.data, r.definition
     from dossiers d
     join procedure_revisions r on r.tenant_id = d.tenant_id and r.procedure_id = d.procedure_id and r.revision = d.revision
     where d.tenant_id = app_tenant() and d.procedure_id = $1 and d.state in ('accepte', 'refuse', 'sans_suite')
       and d.decided_at < $2::timestamptz
       and not exists (select 1 from dossier_retention x where x.tenant_id = d.tenant_id and x.dossier_id = d.id and x.outcome is not null)
     order by d.decided_at limit ${BATCH}`,
    [procedureId, new Date(now.getTime() - rule.days * DAY_MS).toISOString()],
  );
  for (const d of due) {
    if (rule.action === 'delete') {
      await tx.execute('delete from dossiers where tenant_id = app_tenant() and id = $1', [d.id]);
      result.deleted += 1;
    } else {
      if (rule.action === 'anonymise') {
        await anonymiseRow(tx, d.id, d.definition.fields ?? [], d.data ?? {});
        result.anonymised += 1;
      } else result.archived += 1;
      await tx.execute(
        `insert into dossier_retention (tenant_id, dossier_id, outcome, applied_at) values (app_tenant(), $1, $2, $3)
         on conflict (tenant_id, dossier_id) do update set outcome = excluded.outcome, applied_at = excluded.applied_at`,
        [d.id, rule.action, now.toISOString()],
      );
    }
    await journal(tx, {
      actor: 'system',
      action: `procedures.dossier.retention.${rule.action}`,
      subjectType: 'dossier',
      subjectId: d.id,
      data: { number: d.number, procedure: procedureId, days: rule.days },
    });
  }
  return due.length;
}

async function sweepDrafts(
  tx: Tx,
  deps: { config: Pick<Config, 'baseUrl'>; secret: string },
  tenant: { id: string; slug: string; name: string },
  procedure: { id: string; title: string },
  s: OperationsSettings,
  now: Date,
  result: SweepResult,
): Promise<number> {
  const { expireAfterDays, remindBeforeDays } = s.drafts;
  const expired = await tx.query<{ id: string; number: string }>(
    `select id, number::text as number from dossiers where tenant_id = app_tenant() and procedure_id = $1 and state = 'brouillon'
       and updated_at < $2::timestamptz order by updated_at limit ${BATCH}`,
    [procedure.id, new Date(now.getTime() - expireAfterDays * DAY_MS).toISOString()],
  );
  for (const d of expired) {
    await tx.execute('delete from dossiers where tenant_id = app_tenant() and id = $1', [d.id]);
    await journal(tx, {
      actor: 'system',
      action: 'procedures.draft.expire',
      subjectType: 'dossier',
      subjectId: d.id,
      data: { number: d.number, procedure: procedure.id, days: expireAfterDays },
    });
    result.expired += 1;
  }
  if (remindBeforeDays === 0) return expired.length;
  const remind = await tx.query<{ id: string; number: string; email: string | null; has_code: boolean; updated_at: Date }>(
    `select d.id, d.number::text as number, coalesce(d.applicant_email, p.email) as email, d.tracking_code_hash is not null as has_code, d.updated_at
     from dossiers d left join people p on p.id = d.applicant_person_id
     where d.tenant_id = app_tenant() and d.procedure_id = $1 and d.state = 'brouillon' and d.updated_at < $2::timestamptz
       and not exists (select 1 from dossier_retention x where x.tenant_id = d.tenant_id and x.dossier_id = d.id and x.draft_reminded_at >= d.updated_at)
     order by d.updated_at limit ${BATCH}`,
    [procedure.id, new Date(now.getTime() - (expireAfterDays - remindBeforeDays) * DAY_MS).toISOString()],
  );
  for (const d of remind) {
    await tx.execute(
      `insert into dossier_retention (tenant_id, dossier_id, draft_reminded_at) values (app_tenant(), $1, $2)
       on conflict (tenant_id, dossier_id) do update set draft_reminded_at = excluded.draft_reminded_at`,
      [d.id, now.toISOString()],
    );
    if (d.email) {
      const expiresOn = new Date(new Date(d.updated_at).getTime() + expireAfterDays * DAY_MS);
      const link = dossierLink(
        deps.config.baseUrl,
        { tenantSlug: tenant.slug, number: d.number },
        d.has_code ? trackingCodeFor(deps.secret, tenant.id, d.id) : null,
      );
      await queueMail(tx, {
        to: d.email,
        subject: `Votre brouillon n° ${d.number} sera supprimé le ${expiresOn.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}`,
        text: `Bonjour,\n\nVous avez commencé la démarche « ${procedure.title} » sans la déposer. Sans modification de votre part, ce brouillon sera supprimé le ${expiresOn.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' })}.\n\nReprendre votre brouillon :\n${link}\n\n-- \n${tenant.name}`,
      });
    }
    await journal(tx, { actor: 'system', action: 'procedures.draft.remind', subjectType: 'dossier', subjectId: d.id, data: { number: d.number } });
    result.reminded += 1;
  }
  return expired.length + remind.length;
}

/** The decision rule of one procedure only (the demo data flags its old decided dossier at once with it). */
export async function sweepProcedureDecisions(db: Database, tenantId: string, procedureId: string, now: Date = new Date()): Promise<SweepResult> {
  const result: SweepResult = { archived: 0, anonymised: 0, deleted: 0, reminded: 0, expired: 0 };
  const settings = await db.transaction(tenantId, (tx) => tx.one<{ settings: unknown }>('select settings from procedures where id = $1', [procedureId]));
  const rule = settings ? operationsSettings(settings.settings).retention : null;
  if (rule) while ((await db.transaction(tenantId, (tx) => applyDecisionRule(tx, procedureId, rule, now, result))) === BATCH);
  return result;
}

/** Runs every rule of every collectivité until nothing is due (batches of 200 per transaction). */
export async function sweepRetention(db: Database, deps: { config: Pick<Config, 'baseUrl'>; secret: string }, now: Date = new Date()): Promise<SweepResult> {
  const result: SweepResult = { archived: 0, anonymised: 0, deleted: 0, reminded: 0, expired: 0 };
  const tenants = await db.transaction(null, (tx) => tx.query<{ id: string; slug: string; name: string }>('select id, slug, name from tenants order by id'));
  for (const tenant of tenants) {
    const procedures = await db.transaction(tenant.id, (tx) =>
      tx.query<{ id: string; title: string; settings: unknown }>('select id, title, settings from procedures where tenant_id = app_tenant()'),
    );
    for (const procedure of procedures) {
      const s = operationsSettings(procedure.settings);
      if (s.retention) {
        const rule = s.retention;
        while ((await db.transaction(tenant.id, (tx) => applyDecisionRule(tx, procedure.id, rule, now, result))) === BATCH);
      }
      while ((await db.transaction(tenant.id, (tx) => sweepDrafts(tx, deps, tenant, procedure, s, now, result))) >= BATCH);
    }
  }
  return result;
}
