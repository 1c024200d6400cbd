-- A contribution's own life after it is posted (issue 15, what Decidim participants expect):
--   * a number, given once at insert and never changed, for a stable address
--     /{collectivité}/concertations/{debate}/contributions/{number};
--   * its author edits it (title, text, an opinion's stance) while the debate is in its contributions step
--     and nobody has commented on it, supported it or answered it; each previous text is kept in
--     debate_contribution_versions (read by the team, never changed);
--   * its author withdraws it: moderation 'withdrawn' ("retirée par son auteur" in place of its words), never
--     deleted. Every list and count that reads 'visible' (and 'hidden') leaves it out with no change; the
--     moderation actions cannot bring it back (trigger below);
--   * a person takes back their support (the row goes, the count follows: the actions write both);
--   * comments and supports queue the refresh of the debate's open dataset in their own transaction, like
--     posts do: one queued job per debate (triggers below, so that every way in — pages, API, seed — does it).

-- The number: from one sequence, as dossiers' numbers (0302): no per-debate counter row that every post
-- would queue on (bench/debates.ts measures posting). Unique per installation, hence per debate, with gaps;
-- the existing rows are numbered in order of posting. A tenant import moves the sequence past the numbers
-- it brings (core/transfer/catalog.ts).
create sequence debate_contribution_number_seq;
alter table debate_contributions add column number bigint;
alter table debate_contributions add column edited_at timestamptz;
alter table debate_contributions add column withdrawn_at timestamptz;
update debate_contributions c set number = n.number
  from (select tenant_id, id, row_number() over (order by created_at, id) as number from debate_contributions) n
 where n.tenant_id = c.tenant_id and n.id = c.id;
select setval('debate_contribution_number_seq', coalesce((select max(number) from debate_contributions), 0) + 1, false);
alter table debate_contributions alter column number set default nextval('debate_contribution_number_seq');
alter sequence debate_contribution_number_seq owned by debate_contributions.number;
alter table debate_contributions alter column number set not null;
alter table debate_contributions add constraint debate_contributions_number_unique unique (tenant_id, number);

-- 'withdrawn' beside visible, pending and hidden; a withdrawn contribution has its date, and only it.
alter table debate_contributions drop constraint debate_contributions_moderation_check;
alter table debate_contributions add constraint debate_contributions_moderation_check
  check (moderation in ('visible', 'pending', 'hidden', 'withdrawn'));
alter table debate_contributions add constraint debate_contributions_withdrawn_check check ((moderation = 'withdrawn') = (withdrawn_at is not null));

-- The team's actions set moderation (hide, approve): on a withdrawn contribution they change nothing, so
-- that no one but its author's decision puts it back in front of the public.
create or replace function debate_contributions_keep_withdrawn() returns trigger language plpgsql as $$
begin
  if old.moderation = 'withdrawn' then
    new.moderation := old.moderation;
    new.hide_reason := old.hide_reason;
    new.moderated_at := old.moderated_at;
    new.withdrawn_at := old.withdrawn_at;
  end if;
  return new;
end $$;
create trigger debate_contributions_keep_withdrawn before update on debate_contributions
  for each row execute function debate_contributions_keep_withdrawn();

grant update (title, body, stance, edited_at, withdrawn_at) on debate_contributions to bastide_app;

-- Reports left open on a withdrawn contribution are closed as such.
alter table debate_reports drop constraint debate_reports_resolution_check;
alter table debate_reports add constraint debate_reports_resolution_check check (resolution in ('hidden', 'kept', 'withdrawn'));

-- The texts a contribution had before each edit, for the team (a report may be about an earlier text).
create table debate_contribution_versions (
  tenant_id uuid not null,
  contribution_id uuid not null,
  version int not null check (version >= 1),
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) between 1 and 10000),
  stance text check (stance in ('for', 'against', 'neutral')),
  moderation text not null check (moderation in ('visible', 'pending')),
  replaced_at timestamptz not null default now(),
  replaced_by text not null,
  primary key (tenant_id, contribution_id, version),
  foreign key (tenant_id, contribution_id) references debate_contributions (tenant_id, id) on delete cascade
);
select bastide_tenant_table('debate_contribution_versions');
revoke update, delete, truncate on debate_contribution_versions from bastide_app;

-- Comments and supports change the counts of the open dataset (issue 15: refreshed as the debate goes
-- on): the same queued job as kits/actions/results.ts queueDatasetRefresh (kind, payload, unique key),
-- in the transaction of the change. A comment waiting for pre-moderation changes nothing yet (the
-- team's decision queues it). Taking back a support is queued by its action.
create or replace function debates_queue_dataset_refresh(p_tenant uuid, p_debate uuid) returns void language sql as $$
  insert into jobs (tenant_id, kind, payload, run_at, max_attempts, unique_key)
  values (p_tenant, 'debates.kits.dataset', jsonb_build_object('debateId', p_debate), now(), 8, 'debates.kits.dataset:' || p_debate)
  on conflict (unique_key) where unique_key is not null and state in ('queued', 'running') do nothing
$$;

create or replace function debate_comments_refresh_dataset() returns trigger language plpgsql as $$
begin
  perform debates_queue_dataset_refresh(new.tenant_id, new.debate_id);
  return null;
end $$;
create trigger debate_comments_refresh_dataset after insert on debate_comments
  for each row when (new.moderation = 'visible') execute function debate_comments_refresh_dataset();

create or replace function debate_supports_refresh_dataset() returns trigger language plpgsql as $$
begin
  perform debates_queue_dataset_refresh(new.tenant_id, c.debate_id)
    from debate_contributions c where c.tenant_id = new.tenant_id and c.id = new.contribution_id;
  return null;
end $$;
create trigger debate_supports_refresh_dataset after insert on debate_supports
  for each row execute function debate_supports_refresh_dataset();
