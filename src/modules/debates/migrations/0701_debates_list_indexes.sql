-- The contributions list read in order, filtered on the way: the first indexes of 0700 put `moderation`
-- before the order column, so a page of "everything a reader sees" (visible and hidden, plus the reader's
-- own pending texts) could not be read in order from them. These lead with the debate and the order, and
-- carry the filtered columns, so that a page and its count are read from the index alone (bench/debates.ts).
drop index debate_contributions_list;
drop index debate_contributions_kind;
drop index debate_contributions_supported;
create index debate_contributions_recent on debate_contributions (tenant_id, debate_id, created_at desc, id desc)
  include (moderation, kind, phase_id, answer_status, author_person_id);
create index debate_contributions_kind on debate_contributions (tenant_id, debate_id, kind, created_at desc, id desc)
  include (moderation, phase_id, answer_status, author_person_id);
create index debate_contributions_supported on debate_contributions (tenant_id, debate_id, support_count desc, created_at desc, id desc)
  include (moderation, kind, phase_id, answer_status, author_person_id);
