// What a member collectivité's administrator does, from the member's own tenant (its path, its
// transaction, its journal): accept an invitation, leave, endorse a contribution or withdraw the
// endorsement, declare a solution it runs. The network side is written only by the SECURITY DEFINER
// functions of 0851, which take the member from app_tenant() and journal in the network's tenant.
import type { Database } from '../../../core/db/database.ts';
import { notFound } from '../../../core/base/errors.ts';
import { journal } from '../../../core/audit/journal.ts';

interface MemberActor {
  tenantId: string;
  personId: string;
}

async function networkId(db: Database, slug: string): Promise<string> {
  const row = await db.transaction(null, (tx) => tx.one<{ id: string }>(`select id from tenants where slug = $1 and kind = 'network'`, [slug]));
  if (!row) throw notFound();
  return row.id;
}

async function crossOver(db: Database, m: MemberActor, networkSlug: string, sql: string, params: (net: string) => unknown[], action: string, data = {}) {
  const net = await networkId(db, networkSlug);
  await db.transaction(m.tenantId, async (tx) => {
    const done = (await tx.one<{ ok: boolean }>(sql, params(net)))?.ok;
    // The same answer for "not invited", "not a member", "no such contribution": nothing to learn by probing.
    if (!done) throw notFound();
    await journal(tx, { actor: `person:${m.personId}`, action, subjectType: 'network', subjectId: net, data: { network: networkSlug, ...data } });
  });
}

export async function memberJoin(db: Database, m: MemberActor, networkSlug: string): Promise<void> {
  await crossOver(db, m, networkSlug, 'select network_join($1, $2) as ok', (net) => [net, m.personId], 'roadmap.network.join');
}

export async function memberLeave(db: Database, m: MemberActor, networkSlug: string): Promise<void> {
  await crossOver(db, m, networkSlug, 'select network_leave($1, $2) as ok', (net) => [net, m.personId], 'roadmap.network.leave');
}

export async function endorse(db: Database, m: MemberActor, networkSlug: string, contributionId: string, comment: string): Promise<void> {
  await crossOver(
    db,
    m,
    networkSlug,
    'select network_endorse($1, $2, $3, $4) as ok',
    (net) => [net, contributionId, m.personId, comment],
    'roadmap.network.endorse',
    { contribution: contributionId },
  );
}

export async function unendorse(db: Database, m: MemberActor, networkSlug: string, contributionId: string): Promise<void> {
  await crossOver(db, m, networkSlug, 'select network_unendorse($1, $2, $3) as ok', (net) => [net, contributionId, m.personId], 'roadmap.network.unendorse', {
    contribution: contributionId,
  });
}

/**
 * "We run this": the member's own row (its tenant). The solution must be listed by a network it belongs to;
 * checked through tenant_relations (public) and the network's public directory function.
 */
export async function declareSolutionUse(
  db: Database,
  m: MemberActor,
  networkSlug: string,
  solutionSlug: string,
  input: { referent?: string; opinion?: string; since?: string; public?: boolean },
): Promise<void> {
  const net = await networkId(db, networkSlug);
  const solution = await db.transaction(net, (tx) => tx.one<{ id: string }>('select id from network_solutions where slug = $1', [solutionSlug]));
  await db.transaction(m.tenantId, async (tx) => {
    const member = await tx.one(`select 1 from tenant_relations where tenant_id = app_tenant() and related_tenant_id = $1 and kind = 'network_member'`, [net]);
    if (!solution || !member) throw notFound();
    await tx.query(
      `insert into network_solution_uses (tenant_id, network_tenant_id, solution_id, referent, opinion, since, public)
       values (app_tenant(), $1, $2, $3, $4, $5, $6)
       on conflict (tenant_id, network_tenant_id, solution_id) do update
         set referent = excluded.referent, opinion = excluded.opinion, since = excluded.since, public = excluded.public, updated_at = now()`,
      [net, solution.id, input.referent ?? '', input.opinion ?? '', input.since ?? null, input.public ?? true],
    );
    await journal(tx, {
      actor: `person:${m.personId}`,
      action: 'roadmap.solutions.use.declare',
      subjectType: 'network_solution',
      subjectId: solution.id,
      data: { network: networkSlug },
    });
  });
}

/** The member's own declarations in a network's directory (its rows, its tenant), for its edit form. */
export async function declaredUses(
  db: Database,
  m: MemberActor,
  networkId: string,
): Promise<Array<{ solution_id: string; referent: string; opinion: string; since: string | null; public: boolean }>> {
  return db.transaction(m.tenantId, (tx) =>
    tx.query(`select solution_id, referent, opinion, to_char(since, 'YYYY-MM-DD') as since, public from network_solution_uses where network_tenant_id = $1`, [
      networkId,
    ]),
  );
}

/** "We no longer run this": the member removes its own declaration; another member's row is out of its reach (RLS). */
export async function withdrawSolutionUse(db: Database, m: MemberActor, networkSlug: string, solutionSlug: string): Promise<void> {
  const net = await networkId(db, networkSlug);
  const solution = await db.transaction(net, (tx) => tx.one<{ id: string }>('select id from network_solutions where slug = $1', [solutionSlug]));
  await db.transaction(m.tenantId, async (tx) => {
    const row =
      solution &&
      (await tx.one<{ solution_id: string }>(
        'delete from network_solution_uses where tenant_id = app_tenant() and network_tenant_id = $1 and solution_id = $2 returning solution_id',
        [net, solution.id],
      ));
    if (!solution || !row) throw notFound();
    await journal(tx, {
      actor: `person:${m.personId}`,
      action: 'roadmap.solutions.use.withdraw',
      subjectType: 'network_solution',
      subjectId: solution.id,
      data: { network: networkSlug },
    });
  });
}
