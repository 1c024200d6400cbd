-- The funding each member obtained, for the network view: the amounts granted and paid on the applications
-- of its PUBLISHED projects (the funding part's roadmap_funding_applications, 0830), for current members
-- only. Written in PL/pgSQL so that it names the funding part's table only when called; it answers nothing
-- if that table is absent.
create function network_view_funding(p_network uuid) returns table (member_tenant_id uuid, granted bigint, paid bigint, granted_applications int)
language plpgsql stable security definer set search_path = public as $$
begin
  if to_regclass('public.roadmap_funding_applications') is null then
    return;
  end if;
  return query
    select a.tenant_id, coalesce(sum(a.amount_granted), 0)::bigint, coalesce(sum(a.amount_paid), 0)::bigint, count(*)::int
    from tenant_relations r
    join roadmap_funding_applications a on a.tenant_id = r.tenant_id and a.status = 'granted'
    join roadmap_projects p on p.tenant_id = a.tenant_id and p.id = a.project_id and p.published
    where r.related_tenant_id = p_network and r.kind = 'network_member'
    group by a.tenant_id;
end $$;
revoke execute on function network_view_funding(uuid) from public;
grant execute on function network_view_funding(uuid) to bastide_app;
