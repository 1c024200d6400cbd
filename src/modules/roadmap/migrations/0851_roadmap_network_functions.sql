-- Cross-tenant acts of the network, each a SECURITY DEFINER function owned by the schema owner. The rules
-- they share:
--   - the acting collectivité is app_tenant(), never a parameter: the application sets it from the path
--     whose roles it checked, so a caller cannot act for another collectivité;
--   - the acting person must hold tenant_admin in that collectivité (checked again here, whatever the
--     application did);
--   - the other side's journal gets its entry in the same transaction (the application writes the
--     caller's own entry);
--   - each returns whether it changed something, and changes nothing else.

-- Roles a person holds in the network's member collectivités (staff roles only): who may read what the
-- network keeps for its members, and for which member they may endorse.
create function network_staff_of(p_network uuid, p_person uuid) returns table (member_tenant_id uuid, role text)
language sql stable security definer set search_path = public as $$
  select m.tenant_id, m.role
  from tenant_relations r join memberships m on m.tenant_id = r.tenant_id
  where r.related_tenant_id = p_network and r.kind = 'network_member' and m.person_id = p_person and m.role <> 'citizen'
$$;

create function network_is_admin(p_tenant uuid, p_person uuid) returns boolean
language sql stable security definer set search_path = public as $$
  select exists (select 1 from memberships where tenant_id = p_tenant and person_id = p_person and role = 'tenant_admin')
$$;

create function network_journal(p_tenant uuid, p_person uuid, p_action text, p_subject_type text, p_subject_id text, p_data jsonb) returns void
language sql volatile security definer set search_path = public as $$
  insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
  values (p_tenant, uuid_v7(), now(), 'person:' || p_person, p_action, p_subject_type, p_subject_id, p_data)
$$;
revoke execute on function network_journal(uuid, uuid, text, text, text, jsonb) from public, bastide_app;

create function network_endorse(p_network uuid, p_contribution uuid, p_person uuid, p_comment text) returns boolean
language plpgsql volatile security definer set search_path = public as $$
declare
  me uuid := app_tenant();
  n int;
begin
  if me is null or me = p_network or not network_is_admin(me, p_person)
     or not exists (select 1 from tenant_relations where tenant_id = me and related_tenant_id = p_network and kind = 'network_member')
     or not exists (select 1 from network_contributions where tenant_id = p_network and id = p_contribution and state = 'adopted') then
    return false;
  end if;
  insert into network_endorsements (tenant_id, contribution_id, member_tenant_id, person_id, comment)
  values (p_network, p_contribution, me, p_person, left(coalesce(p_comment, ''), 2000))
  on conflict do nothing;
  get diagnostics n = row_count;
  if n > 0 then
    perform network_journal(p_network, p_person, 'roadmap.network.endorsement.add', 'contribution', p_contribution::text, jsonb_build_object('member', me));
  end if;
  return n > 0;
end $$;

create function network_unendorse(p_network uuid, p_contribution uuid, p_person uuid) returns boolean
language plpgsql volatile security definer set search_path = public as $$
declare
  me uuid := app_tenant();
  n int;
begin
  if me is null or not network_is_admin(me, p_person) then
    return false;
  end if;
  delete from network_endorsements where tenant_id = p_network and contribution_id = p_contribution and member_tenant_id = me;
  get diagnostics n = row_count;
  if n > 0 then
    perform network_journal(p_network, p_person, 'roadmap.network.endorsement.remove', 'contribution', p_contribution::text, jsonb_build_object('member', me));
  end if;
  return n > 0;
end $$;

-- Joining: the network invited this collectivité (network_invitations), its admin accepts.
create function network_join(p_network uuid, p_person uuid) returns boolean
language plpgsql volatile security definer set search_path = public as $$
declare
  me uuid := app_tenant();
begin
  if me is null or not network_is_admin(me, p_person)
     or not exists (select 1 from tenants where id = p_network and kind = 'network') then
    return false;
  end if;
  delete from network_invitations where tenant_id = p_network and invited_tenant_id = me;
  if not found then
    return false;
  end if;
  insert into tenant_relations (tenant_id, related_tenant_id, kind) values (me, p_network, 'network_member') on conflict do nothing;
  perform network_journal(p_network, p_person, 'roadmap.network.member.join', 'tenant', me::text, '{}');
  return true;
end $$;

-- Leaving: the member's admin, from the member's tenant.
create function network_leave(p_network uuid, p_person uuid) returns boolean
language plpgsql volatile security definer set search_path = public as $$
declare
  me uuid := app_tenant();
begin
  if me is null or not network_is_admin(me, p_person) then
    return false;
  end if;
  delete from tenant_relations where tenant_id = me and related_tenant_id = p_network and kind = 'network_member';
  if not found then
    return false;
  end if;
  perform network_journal(p_network, p_person, 'roadmap.network.member.leave', 'tenant', me::text, '{}');
  return true;
end $$;

-- Removing a member: the network's admin, from the network's tenant.
create function network_remove_member(p_member uuid, p_person uuid) returns boolean
language plpgsql volatile security definer set search_path = public as $$
declare
  me uuid := app_tenant();
begin
  if me is null or not network_is_admin(me, p_person) then
    return false;
  end if;
  delete from tenant_relations where tenant_id = p_member and related_tenant_id = me and kind = 'network_member';
  if not found then
    return false;
  end if;
  perform network_journal(p_member, p_person, 'roadmap.network.member.removed', 'tenant', me::text, '{}');
  return true;
end $$;

-- Who runs each solution: the public declarations of the network's current members, nothing else.
create function network_solution_users(p_network uuid) returns table (
  solution_id uuid, member_tenant_id uuid, referent text, opinion text, since date
) language sql stable security definer set search_path = public as $$
  select u.solution_id, u.tenant_id, u.referent, u.opinion, u.since
  from network_solution_uses u
  join tenant_relations r on r.tenant_id = u.tenant_id and r.related_tenant_id = p_network and r.kind = 'network_member'
  where u.network_tenant_id = p_network and u.public
$$;

revoke execute on function network_staff_of(uuid, uuid), network_is_admin(uuid, uuid), network_endorse(uuid, uuid, uuid, text),
  network_unendorse(uuid, uuid, uuid), network_join(uuid, uuid), network_leave(uuid, uuid), network_remove_member(uuid, uuid),
  network_solution_users(uuid) from public;
grant execute on function network_staff_of(uuid, uuid), network_is_admin(uuid, uuid), network_endorse(uuid, uuid, uuid, text),
  network_unendorse(uuid, uuid, uuid), network_join(uuid, uuid), network_leave(uuid, uuid), network_remove_member(uuid, uuid),
  network_solution_users(uuid) to bastide_app;
