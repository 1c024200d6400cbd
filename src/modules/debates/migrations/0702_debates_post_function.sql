-- Posting a contribution in one call (issue 15, bench debates-post): the state a post needs (the debate,
-- its current step, a block, the charter accepted), the checks, the contribution, the charter acceptance,
-- the journal entry and the queued refresh of the open dataset — what contributions.repository.ts
-- postContributionAtOnce sent before as one statement of CTEs. As a PL/pgSQL function its statements are
-- planned once per connection and their plans kept (a statement of that size cost more to plan than to run).
--
-- It runs as its caller (no security definer): the application role in the action's transaction, under
-- row-level security, in that transaction — nothing is committed or refused here that the transaction does
-- not commit. Refusals write nothing and return the state read, from which the action words the reason.
--
-- Returns {state, id, moderation}: state null when no such debate is visible; id and moderation null when
-- the post is refused (draft for a non-moderator, closed, outside a contributions step, blocked, charter).
create or replace function debates_post_contribution(
  p_ref text,           -- the debate: slug or id
  p_person uuid,        -- the signed-in person (the mediator for a mediated post)
  p_day date,           -- today, in the collectivité's time
  p_id uuid,            -- the new contribution's id
  p_kind text,
  p_stance text,
  p_title text,
  p_body text,
  p_author uuid,        -- null for a mediated post (the person helped has no account here)
  p_display_name text,  -- pseudonym or name given; null: the account's display name, else p_fallback_name
  p_mediation jsonb,
  p_fallback_name text,
  p_moderator boolean,
  p_accept_charter boolean,
  p_entry_id uuid,      -- the journal entry's id
  p_actor text,
  p_job_kind text       -- the open dataset's refresh job (null: none queued)
) returns json language plpgsql as $$
declare
  v_debate record;
  v_phase record;
  v_has_phase boolean;
  v_charter text;
  v_blocked boolean;
  v_accepted boolean;
  v_person_name text;
  v_state json;
  v_moderation text;
  v_new_acceptance boolean;
begin
  if p_ref ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    select d.id, d.slug, d.status, d.moderation, d.charter into v_debate from debates d where d.tenant_id = app_tenant() and d.id = p_ref::uuid;
  else
    select d.id, d.slug, d.status, d.moderation, d.charter into v_debate from debates d where d.tenant_id = app_tenant() and d.slug = p_ref;
  end if;
  if not found then
    return json_build_object('state', null, 'id', null, 'moderation', null);
  end if;
  v_charter := case when v_debate.charter = '' then null else encode(sha256(convert_to(v_debate.charter, 'UTF8')), 'hex') end;
  select p.id, p.kind, p.position into v_phase from debate_phases p
   where p.tenant_id = app_tenant() and p.debate_id = v_debate.id and p.starts_on <= p_day and p.ends_on >= p_day
   order by p.position limit 1;
  v_has_phase := found;
  v_blocked := exists (select 1 from debate_blocks b where b.tenant_id = app_tenant() and b.debate_id = v_debate.id and b.person_id = p_person);
  v_accepted := v_charter is null or exists (select 1 from debate_charter_acceptances a where a.tenant_id = app_tenant()
    and a.debate_id = v_debate.id and a.person_id = p_person and a.charter_sha256 = v_charter);
  v_person_name := (select left(nullif(pe.display_name, ''), 80) from people pe where pe.id = p_person);
  v_state := json_build_object('id', v_debate.id, 'slug', v_debate.slug, 'status', v_debate.status, 'moderation', v_debate.moderation,
    'charter_sha256', v_charter,
    'phase', case when v_has_phase then json_build_object('id', v_phase.id, 'kind', v_phase.kind, 'position', v_phase.position) end,
    'blocked', v_blocked, 'accepted', v_accepted, 'person_name', v_person_name);

  if not ((v_debate.status = 'published' or (v_debate.status = 'draft' and p_moderator)) and not v_blocked
          and v_has_phase and v_phase.kind = 'contributions'
          and (v_charter is null or (v_accepted and p_mediation is null) or p_accept_charter)) then
    return json_build_object('state', v_state, 'id', null, 'moderation', null);
  end if;

  v_moderation := case when v_debate.moderation = 'pre' and not p_moderator then 'pending' else 'visible' end;
  v_new_acceptance := v_charter is not null and not v_accepted and p_author is not null;
  -- The contribution is written last: its number (a counter row per debate, locked until the transaction
  -- ends) is then held no longer than a bare INSERT holds it.
  -- As core/jobs/queue.ts enqueue() with a unique key: one queued refresh per debate (none added while one
  -- waits or runs; the job reads again after publishing, so a change committed meanwhile is not lost).
  if v_moderation = 'visible' and p_job_kind is not null
     and not exists (select 1 from jobs j where j.unique_key = p_job_kind || ':' || v_debate.id and j.state in ('queued', 'running')) then
    insert into jobs (tenant_id, kind, payload, run_at, max_attempts, unique_key)
    values (app_tenant(), p_job_kind, jsonb_build_object('debateId', v_debate.id), now(), 8, p_job_kind || ':' || v_debate.id)
    on conflict (unique_key) where unique_key is not null and state in ('queued', 'running') do nothing;
  end if;
  insert into journal_entries (tenant_id, id, at, actor, action, subject_type, subject_id, data)
  values (app_tenant(), p_entry_id, now(), p_actor, 'debates.contribution.post', 'debate_contribution', p_id::text,
    jsonb_build_object('debate', v_debate.id, 'kind', p_kind, 'moderation', v_moderation, 'mediated', p_mediation is not null,
      'charter_accepted', v_new_acceptance));
  if v_new_acceptance then
    insert into debate_charter_acceptances (tenant_id, debate_id, person_id, charter_sha256)
    values (app_tenant(), v_debate.id, p_author, v_charter) on conflict do nothing;
  end if;
  insert into debate_contributions (tenant_id, id, debate_id, phase_id, kind, stance, title, body, author_person_id, display_name, mediation, moderation)
  values (app_tenant(), p_id, v_debate.id, v_phase.id, p_kind, p_stance, p_title, p_body, p_author,
    coalesce(p_display_name, v_person_name, p_fallback_name),
    case when p_mediation is null then null when v_charter is null then p_mediation
         else jsonb_set(p_mediation, '{consent,charter_sha256}', to_jsonb(v_charter)) end,
    v_moderation);
  return json_build_object('state', v_state, 'id', p_id, 'moderation', v_moderation);
end $$;
