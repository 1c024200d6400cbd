// Debates a host runs for its members (0750): the setting on the host's debate, the host's members (named
// on the debate's page), and the host's published debates a member's list shows. Runs in a transaction
// scoped to one collectivité; another collectivité's debates are read only through debates_from_hosts(),
// which returns the published ones of a host the caller is a member of, public fields only.
import type { Tx } from '../../core/db/database.ts';

export interface HostDebate {
  host_slug: string;
  host_name: string;
  slug: string;
  title: string;
  updated_at: Date;
}

export async function debatesFromHosts(tx: Tx): Promise<HostDebate[]> {
  return tx.query<HostDebate>('select host_slug, host_name, slug, title, updated_at from debates_from_hosts()');
}

/** The collectivités this one hosts or whose host it is (the membership of the kits library). */
export async function membersOfHost(tx: Tx): Promise<Array<{ slug: string; name: string }>> {
  return tx.query(
    `select t.slug, t.name from tenants t
     where t.id <> app_tenant() and (t.host_tenant_id = app_tenant()
        or exists (select 1 from tenant_relations r where r.tenant_id = t.id and r.related_tenant_id = app_tenant() and r.kind in ('member_of', 'hosted_by')))
     order by t.name`,
  );
}

export async function isForMembers(tx: Tx, debateId: string): Promise<boolean> {
  const row = await tx.one<{ for_members: boolean }>('select for_members from debates where tenant_id = app_tenant() and id = $1', [debateId]);
  return !!row?.for_members;
}

export async function setForMembers(tx: Tx, debateId: string, on: boolean): Promise<void> {
  await tx.execute('update debates set for_members = $2, updated_at = now() where tenant_id = app_tenant() and id = $1', [debateId, on]);
}
