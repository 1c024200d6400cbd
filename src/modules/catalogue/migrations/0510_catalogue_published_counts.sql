-- How many datasets each collectivité has published, for many collectivités in one statement.
--
-- The installation's DCAT feed and the CKAN API read every collectivité's datasets in that collectivité's
-- own transaction, under row-level security (publishing/across-tenants.ts). Counting them the same way
-- opened one transaction per collectivité for every page of the installation feed: with the embedded
-- engine that was most of a page's time (bench/dcat.ts). The counts come from here instead. A count of
-- published datasets is public (each feed's hydra:totalItems, CKAN's package_count) and the function can
-- return nothing else: no row, no other state, no filter given by the caller.
create function catalogue_published_counts(tenant_ids uuid[]) returns table (tenant_id uuid, published int)
language sql stable security definer set search_path = public as $$
  select t.id, (select count(*)::int from catalogue_datasets d where d.tenant_id = t.id and d.state = 'published')
  from unnest(tenant_ids) with ordinality as t(id, n)
  order by t.n
$$;
revoke execute on function catalogue_published_counts(uuid[]) from public;
grant execute on function catalogue_published_counts(uuid[]) to bastide_app;
