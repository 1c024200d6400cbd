-- Debates a host runs for its members (issue 15: "a host runs one for its members"). A collectivité that
-- hosts others, or whose members are other collectivités (tenant_relations member_of / hosted_by, or
-- tenants.host_tenant_id — the same membership as the kits library of 0720), marks one of its debates as
-- run for its members; each member's list of debates shows it, linking to the debate at the host's address
-- (participation happens there, people's accounts are installation-wide). The members are never named in
-- the row: they are the host's members at the time of reading, so a host can only reach its own.

alter table debates add column for_members boolean not null default false;

-- The published debates run for their members by the hosts of the caller's collectivité: public fields
-- only (never a draft, a closed debate, a contribution or its author), and nothing when no tenant is set.
create or replace function debates_from_hosts() returns table (
  host_slug text, host_name text, slug text, title text, updated_at timestamptz
) language sql stable security definer set search_path = public as $$
  select t.slug, t.name, d.slug, d.title, d.updated_at
  from debates d join tenants t on t.id = d.tenant_id
  where app_tenant() is not null and d.for_members and d.status = 'published'
    and d.tenant_id <> app_tenant()
    and d.tenant_id in (
      select host_tenant_id from tenants where id = app_tenant() and host_tenant_id is not null
      union select related_tenant_id from tenant_relations where tenant_id = app_tenant() and kind in ('member_of', 'hosted_by'))
  order by t.name, d.updated_at desc, d.slug
$$;
revoke execute on function debates_from_hosts() from public;
grant execute on function debates_from_hosts() to bastide_app;
