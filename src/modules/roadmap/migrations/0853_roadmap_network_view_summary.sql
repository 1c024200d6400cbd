-- The network view at the scale of a national network (hundreds of members): the page shows a summary —
-- per member and theme, the published projects, their budgets and how many are pooled — and the projects
-- of one theme a page at a time, instead of every project of every member. Same rule as 0852: published
-- rows of current members only, nothing else, the network named by the caller.

create function network_view_summary(p_network uuid) returns table (
  member_tenant_id uuid, theme text, projects int, investment bigint, operation bigint, pooled int
) language sql stable security definer set search_path = public as $$
  select p.tenant_id, p.theme, count(*)::int, sum(p.budget_investment)::bigint, sum(p.budget_operation)::bigint,
         count(*) filter (where exists (select 1 from roadmap_project_partners pp where pp.tenant_id = p.tenant_id and pp.project_id = p.id))::int
  from tenant_relations r
  join roadmap_projects p on p.tenant_id = r.tenant_id
  where r.related_tenant_id = p_network and r.kind = 'network_member' and p.published
  group by p.tenant_id, p.theme
$$;

-- One theme's published projects (or the pooled ones when p_theme is null), by member then title, a page at a time.
create function network_view_theme(p_network uuid, p_theme text, p_limit int, p_offset int) returns table (
  member_tenant_id uuid, id uuid, slug text, title text, theme text, stage text, budget_investment int, partners int
) language sql stable security definer set search_path = public as $$
  select x.tenant_id, x.id, x.slug, x.title, x.theme, x.stage, x.budget_investment, x.partners
  from (
    select p.tenant_id, p.id, p.slug, p.title, p.theme, p.stage, p.budget_investment, t.name,
           (select count(*)::int from roadmap_project_partners pp where pp.tenant_id = p.tenant_id and pp.project_id = p.id) as partners
    from tenant_relations r
    join roadmap_projects p on p.tenant_id = r.tenant_id
    join tenants t on t.id = p.tenant_id
    where r.related_tenant_id = p_network and r.kind = 'network_member' and p.published and (p_theme is null or p.theme = p_theme)
  ) x
  where p_theme is not null or x.partners > 0
  order by x.name, x.title
  limit least(greatest(p_limit, 0), 200) offset greatest(p_offset, 0)
$$;

-- How many published procedures and datasets each member shares.
create function network_view_shared_counts(p_network uuid) returns table (member_tenant_id uuid, procedures int, datasets int)
language sql stable security definer set search_path = public as $$
  select r.tenant_id,
         (select count(*)::int from procedures x where x.tenant_id = r.tenant_id and x.state = 'published'),
         (select count(*)::int from catalogue_datasets d where d.tenant_id = r.tenant_id and d.state = 'published')
  from tenant_relations r
  where r.related_tenant_id = p_network and r.kind = 'network_member'
$$;

revoke execute on function network_view_summary(uuid), network_view_theme(uuid, text, int, int), network_view_shared_counts(uuid) from public;
grant execute on function network_view_summary(uuid), network_view_theme(uuid, text, int, int), network_view_shared_counts(uuid) to bastide_app;
