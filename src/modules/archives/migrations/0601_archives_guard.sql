-- archives_guard() as first written read old.category in the same condition as tg_table_name: PL/pgSQL
-- evaluates the whole expression, so a DELETE on any table without a `category` column failed with
-- 'record "old" has no field "category"' instead of the intended refusal (still refused, but with the
-- wrong message, and a hold could not be lifted). Same rules, the table checked first.
create or replace function archives_guard() returns trigger language plpgsql as $$
declare
  unit uuid;
  allowed text[];
begin
  if tg_op = 'TRUNCATE' then
    raise exception 'archives are immutable: % cannot be truncated', tg_table_name using errcode = 'insufficient_privilege';
  end if;
  if tg_op = 'DELETE' then
    -- The collectivité itself is being deleted (cascade): its archives go with it.
    if not exists (select 1 from tenants where id = old.tenant_id) then
      return old;
    end if;
    -- A legal hold is lifted by deleting its row; no other rule of a unit goes.
    if tg_table_name = 'archives_unit_rules' then
      if old.category = 'hold' then
        return old;
      end if;
    end if;
    raise exception 'archives are immutable: % rows cannot be deleted', tg_table_name using errcode = 'insufficient_privilege';
  end if;
  -- UPDATE: only a tombstone, only under an approved elimination that covers the unit.
  if tg_table_name = 'archives_units' then
    unit := old.id;
    allowed := array['eliminated_at', 'elimination_id'];
  elsif tg_table_name = 'archives_objects' then
    unit := old.unit_id;
    allowed := array['eliminated_at', 'elimination_id', 'blob_sha256'];
  else
    raise exception 'archives are immutable: % rows cannot be changed', tg_table_name using errcode = 'insufficient_privilege';
  end if;
  if old.eliminated_at is not null or not archives_elimination_covers(old.tenant_id, unit)
     or (to_jsonb(new) - allowed) is distinct from (to_jsonb(old) - allowed)
     or new.elimination_id is distinct from nullif(current_setting('bastide.archives_elimination', true), '')::uuid then
    raise exception 'archives are immutable: % rows change only through an approved elimination', tg_table_name using errcode = 'insufficient_privilege';
  end if;
  return new;
end $$;
