-- The network view in fewer, cheaper statements (issue 16: 500 members, p95 ≤ 100 ms on the embedded engine
-- too). What 0852–0854 answered in five calls — the members, network_view_summary (one row per member and
-- theme, 4,000 rows for 500 members), network_view_shared_counts, network_view_funding, and the page of
-- pooled projects of network_view_theme (which counted the partners of every published project of every
-- member before keeping the pooled ones) — is answered here in two:
--
--   network_view_overview(network)   one row per member, by name: its totals, and per theme of its published
--                                    projects how many and their investment (arrays), its shared procedures
--                                    and datasets, the funding granted to its published projects: 500 rows;
--   network_view_projects_page(network, theme, limit, offset)
--                                    the page of one theme's projects, or of the pooled ones, partners counted
--                                    for the rows of the page only.
--
-- Same rule as 0852–0854: published rows of the CURRENT members of the network named, nothing else (the
-- published rows are public on each member's own pages). PL/pgSQL so that the session keeps their plans
-- between calls (an SQL function that is SECURITY DEFINER is never inlined and is planned again each call).
-- The functions of 0852–0854 stay: the solutions directory reads network_view_summary and _shared_counts.

create function network_view_overview(p_network uuid) returns table (
  member_tenant_id uuid, slug text, name text, kind text, official_code text,
  projects int, investment bigint, operation bigint, pooled int,
  -- the themes of its published projects, and for each (same positions) the projects and their investment
  -- (float8: whole euros, exact far beyond any budget, read as numbers by both engines' drivers)
  themes text[], theme_projects int[], theme_investment float8[],
  procedures int, datasets int, granted bigint
) language plpgsql stable security definer set search_path = public as $$
#variable_conflict use_column
begin
  return query
  with m as materialized (
    select t.id, t.slug, t.name, t.kind, t.official_code
    from tenant_relations r join tenants t on t.id = r.tenant_id
    where r.related_tenant_id = p_network and r.kind = 'network_member'
  ),
  s as (
    -- per member and theme, as network_view_summary (0853); a project is pooled when it names a partner
    select p.tenant_id, p.theme, count(*)::int as projects, sum(p.budget_investment)::bigint as investment,
           sum(p.budget_operation)::bigint as operation,
           count(*) filter (where exists (select 1 from roadmap_project_partners pp where pp.tenant_id = p.tenant_id and pp.project_id = p.id))::int as pooled
    from m join roadmap_projects p on p.tenant_id = m.id
    where p.published
    group by p.tenant_id, p.theme
  ),
  -- one row per member; the three arrays are built from the same rows in the same order
  x as (
    select s.tenant_id, sum(s.projects)::int as projects, sum(s.investment)::bigint as investment, sum(s.operation)::bigint as operation,
           sum(s.pooled)::int as pooled, array_agg(s.theme) as themes, array_agg(s.projects) as theme_projects,
           array_agg(s.investment::float8) as theme_investment
    from s group by s.tenant_id
  ),
  pr as (
    select pc.tenant_id, count(*)::int as n from m join procedures pc on pc.tenant_id = m.id where pc.state = 'published' group by pc.tenant_id
  ),
  ds as (
    select d.tenant_id, count(*)::int as n from m join catalogue_datasets d on d.tenant_id = m.id where d.state = 'published' group by d.tenant_id
  ),
  g as (
    select a.tenant_id, sum(a.amount_granted)::bigint as granted
    from m
    join roadmap_funding_applications a on a.tenant_id = m.id and a.status = 'granted'
    join roadmap_projects p on p.tenant_id = a.tenant_id and p.id = a.project_id and p.published
    group by a.tenant_id
  )
  select m.id, m.slug, m.name, m.kind, m.official_code,
         coalesce(x.projects, 0), coalesce(x.investment, 0::bigint), coalesce(x.operation, 0::bigint), coalesce(x.pooled, 0),
         coalesce(x.themes, '{}'::text[]), coalesce(x.theme_projects, '{}'::int[]), coalesce(x.theme_investment, '{}'::float8[]),
         coalesce(pr.n, 0), coalesce(ds.n, 0), coalesce(g.granted, 0::bigint)
  from m
  left join x on x.tenant_id = m.id
  left join pr on pr.tenant_id = m.id
  left join ds on ds.tenant_id = m.id
  left join g on g.tenant_id = m.id
  order by m.name, m.id;
end $$;

-- One theme's published projects (or the pooled ones when p_theme is null), by member's name then title, a
-- page at a time, with how many partners each names: as network_view_theme (0853), but the pooled ones are
-- found by a semi-join and the partners are counted for the page's rows only.
create function network_view_projects_page(p_network uuid, p_theme text, p_limit int, p_offset int) returns table (
  member_tenant_id uuid, id uuid, slug text, title text, theme text, stage text, budget_investment int, partners int
) language plpgsql stable security definer set search_path = public as $$
#variable_conflict use_column
declare
  v_limit int := least(greatest(coalesce(p_limit, 0), 0), 200);
  v_offset int := greatest(coalesce(p_offset, 0), 0);
begin
  if p_theme is null then
    return query
    select x.tenant_id, x.id, x.slug, x.title, x.theme, x.stage, x.budget_investment,
           (select count(*)::int from roadmap_project_partners pp where pp.tenant_id = x.tenant_id and pp.project_id = x.id)
    from (
      select p.tenant_id, p.id, p.slug, p.title, p.theme, p.stage, p.budget_investment, t.name
      from tenant_relations r
      join roadmap_projects p on p.tenant_id = r.tenant_id
      join tenants t on t.id = p.tenant_id
      where r.related_tenant_id = p_network and r.kind = 'network_member' and p.published
        and exists (select 1 from roadmap_project_partners pp where pp.tenant_id = p.tenant_id and pp.project_id = p.id)
      order by t.name, p.title, p.id
      limit v_limit offset v_offset
    ) x
    order by x.name, x.title, x.id;
  else
    return query
    select x.tenant_id, x.id, x.slug, x.title, x.theme, x.stage, x.budget_investment,
           (select count(*)::int from roadmap_project_partners pp where pp.tenant_id = x.tenant_id and pp.project_id = x.id)
    from (
      select p.tenant_id, p.id, p.slug, p.title, p.theme, p.stage, p.budget_investment, t.name
      from tenant_relations r
      join roadmap_projects p on p.tenant_id = r.tenant_id
      join tenants t on t.id = p.tenant_id
      where r.related_tenant_id = p_network and r.kind = 'network_member' and p.published and p.theme = p_theme
      order by t.name, p.title, p.id
      limit v_limit offset v_offset
    ) x
    order by x.name, x.title, x.id;
  end if;
end $$;

revoke execute on function network_view_overview(uuid), network_view_projects_page(uuid, text, int, int) from public;
grant execute on function network_view_overview(uuid), network_view_projects_page(uuid, text, int, int) to bastide_app;
