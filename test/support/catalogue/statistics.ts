// Dossiers for the catalogue's statistics tests, filed and decided through procedures' own actions (test
// support may reach into a module; src/modules/catalogue may not), with dates moved in SQL.
import type { TestApp } from '../../helpers/app.ts';
import { principal, SUBSIDY_ANSWERS } from '../procedures/ops.ts';
import { submitDossier } from '../../../src/modules/procedures/actions/submit-dossier.ts';
import { transitionDossier } from '../../../src/modules/procedures/actions/transition-dossier.ts';

const guest = (tenantId: string) => ({ ...principal(tenantId, []), actor: 'anonymous', viaToken: false });

/**
 * `n` dossiers filed on 10 March 2026 (Paris: March); the first `decided` of them accepted `days + i`
 * days after filing; then `drafts` drafts never filed.
 */
export async function fileDossiers(t: TestApp, tenantId: string, procedureId: string, n: number, decided = 0, days = 3, drafts = 0): Promise<void> {
  const agent = principal(tenantId, ['agent']);
  for (let i = 0; i < n + drafts; i++) {
    const draft = i >= n;
    const { dossier } = await submitDossier(t.deps, guest(tenantId), { procedure: procedureId, email: `p${i}@example.org`, data: SUBSIDY_ANSWERS, draft });
    const number = Number(dossier.number);
    if (!draft && i < decided) {
      await transitionDossier(t.db, agent, number, { to: 'en_instruction' });
      await transitionDossier(t.db, agent, number, { to: 'accepte' });
    }
    await t.db.transaction(tenantId, (tx) =>
      tx.query(
        `update dossiers set submitted_at = case when submitted_at is null then null else '2026-03-10T10:00:00Z'::timestamptz end,
           decided_at = case when decided_at is null then null else '2026-03-10T10:00:00Z'::timestamptz + make_interval(days => $2) end
         where number = $1`,
        [number, days + i],
      ),
    );
  }
}
