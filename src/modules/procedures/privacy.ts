// RGPD register entries (legal page "données personnelles"): one per procedure open to the public, with
// what it collects (its fields), why, and how long it is kept (its retention settings), so the register
// follows the procedures as they are designed instead of being written once and forgotten.
import type { AppDeps } from '../../core/module.ts';
import type { FieldDefinition } from './fields/definition.ts';
import { operationsSettings, type OperationsSettings } from './operations/settings.ts';

export interface RegisterEntry {
  name: string;
  purpose: string;
  retention: string;
}

export function retentionText(s: OperationsSettings): string {
  const drafts = `brouillons supprimés après ${s.drafts.expireAfterDays} jours sans modification`;
  if (!s.retention) return `${drafts} ; dossiers conservés après la décision, sans durée fixée à ce jour`;
  const { action, days } = s.retention;
  const after =
    action === 'archive'
      ? `versés aux archives ${days} jours après la décision`
      : action === 'anonymise'
        ? `anonymisés ${days} jours après la décision (seules des statistiques restent)`
        : `supprimés ${days} jours après la décision`;
  return `${drafts} ; dossiers ${after}`;
}

function collected(fields: FieldDefinition[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    if (f.type === 'section' || f.type === 'explanation') continue;
    if (f.type === 'repetition') out.push(...collected(f.fields ?? []));
    else out.push(f.label);
  }
  return out;
}

export async function proceduresPrivacyRegister(deps: Pick<AppDeps, 'db'>, tenantId: string): Promise<RegisterEntry[]> {
  const rows = await deps.db.transaction(tenantId, (tx) =>
    tx.query<{ title: string; settings: unknown; definition: { fields?: FieldDefinition[] } | null }>(
      `select p.title, p.settings, r.definition
     from procedures p
     left join procedure_revisions r on r.tenant_id = p.tenant_id and r.procedure_id = p.id and r.revision = p.current_revision
     where p.tenant_id = app_tenant() and p.state in ('published', 'closed') order by p.title`,
    ),
  );
  return rows.map((row) => {
    const fields = collected(row.definition?.fields ?? []);
    const shown = fields.slice(0, 15).join(', ') + (fields.length > 15 ? '…' : '');
    const retention = retentionText(operationsSettings(row.settings));
    return {
      name: `Démarche « ${row.title} »`,
      purpose:
        `Instruire les demandes déposées en ligne et informer le demandeur de leur suivi. Données : adresse électronique du demandeur, ` +
        `réponses au formulaire (${shown || 'aucune'}), pièces jointes, messages échangés. Destinataires : les agents chargés de l’instruction. ` +
        `Conservation : ${retention}.`,
      retention,
    };
  });
}
