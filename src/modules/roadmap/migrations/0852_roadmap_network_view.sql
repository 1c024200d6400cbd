-- The network view: what the network's members publish, side by side, in one statement each. Reading
-- other collectivités' rows goes through these SECURITY DEFINER functions only, and they return nothing
-- but PUBLISHED rows of the CURRENT members of the network named (tenant_relations 'network_member'): a
-- draft project, a draft procedure or dataset, or a collectivité that left the network never appears. The
-- published rows are public anyway (each collectivité's own public pages show them).
--
-- This is the network's own small read of other modules' tables (roadmap_projects of the roadmap part,
-- procedures and catalogue_datasets), documented as such: those modules export no cross-tenant reader.

create function network_view_projects(p_network uuid) returns table (
  member_tenant_id uuid, id uuid, slug text, title text, theme text, stage text, start_on date, end_on date,
  budget_investment int, budget_operation int, partners int
) language sql stable security definer set search_path = public as $$
  select p.tenant_id, p.id, p.slug, p.title, p.theme, p.stage, p.start_on, p.end_on, p.budget_investment, p.budget_operation,
         (select count(*)::int from roadmap_project_partners pp where pp.tenant_id = p.tenant_id and pp.project_id = p.id)
  from tenant_relations r
  join roadmap_projects p on p.tenant_id = r.tenant_id
  where r.related_tenant_id = p_network and r.kind = 'network_member' and p.published
$$;

-- Published procedures and datasets of the members: what another member may copy or reuse.
create function network_view_shared(p_network uuid) returns table (member_tenant_id uuid, kind text, slug text, title text)
language sql stable security definer set search_path = public as $$
  select r.tenant_id, 'procedure', x.slug, x.title
  from tenant_relations r join procedures x on x.tenant_id = r.tenant_id
  where r.related_tenant_id = p_network and r.kind = 'network_member' and x.state = 'published'
  union all
  select r.tenant_id, 'dataset', d.slug, d.title
  from tenant_relations r join catalogue_datasets d on d.tenant_id = r.tenant_id
  where r.related_tenant_id = p_network and r.kind = 'network_member' and d.state = 'published'
$$;

revoke execute on function network_view_projects(uuid), network_view_shared(uuid) from public;
grant execute on function network_view_projects(uuid), network_view_shared(uuid) to bastide_app;
