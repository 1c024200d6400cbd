-- The bearer token of an API request in one round trip (docs/performance.md, inbox): before, a
-- transaction of its own as the application role (begin and role, select, commit), plus an owner-level
-- query when the token was not found, to tell a token of another collectivité (404) from a wrong one
-- (401). The function runs as the schema owner because row-level security hides other collectivités'
-- tokens from the application role, which is the point; it answers only for the token whose hash the
-- caller gives, so it tells nothing the caller does not already hold.
create index api_tokens_hash on api_tokens (token_hash);

create function bastide_api_token(p_tenant uuid, p_hash text)
returns table (token_id uuid, role text, person_id uuid, same_tenant boolean)
language sql volatile security definer set search_path = public, pg_temp as $$
  with found as (
    select t.tenant_id, t.id, t.role, t.person_id, t.last_used_at
    from api_tokens t where t.token_hash = p_hash and t.revoked_at is null
  ), touched as (
    -- Recorded at most once a minute, so that a busy integration does not write on every call.
    update api_tokens a set last_used_at = now() from found f
    where a.tenant_id = f.tenant_id and a.id = f.id and f.tenant_id = p_tenant
      and (f.last_used_at is null or f.last_used_at < now() - interval '1 minute')
    returning a.id
  )
  select case when f.tenant_id = p_tenant then f.id end, case when f.tenant_id = p_tenant then f.role end,
         case when f.tenant_id = p_tenant then f.person_id end, f.tenant_id = p_tenant
  from found f
  order by f.tenant_id = p_tenant desc
  limit 1
$$;
revoke all on function bastide_api_token(uuid, text) from public;
grant execute on function bastide_api_token(uuid, text) to bastide_app;
