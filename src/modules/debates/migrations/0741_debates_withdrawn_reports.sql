-- A report on a contribution its author has withdrawn (0740) is closed as it is written: a withdrawn text is
-- not sent again, not even to the moderators' queue, which lists texts with open reports. The report is
-- kept (nothing refused, nothing deleted), resolved 'withdrawn' like those open at the withdrawal.
create or replace function debate_reports_on_withdrawn() returns trigger language plpgsql as $$
begin
  if new.resolved_at is null and exists (select 1 from debate_contributions c
      where c.tenant_id = new.tenant_id and c.id = new.contribution_id and c.moderation = 'withdrawn') then
    new.resolved_at := now();
    new.resolution := 'withdrawn';
  end if;
  return new;
end $$;
create trigger debate_reports_on_withdrawn before insert on debate_reports
  for each row execute function debate_reports_on_withdrawn();
