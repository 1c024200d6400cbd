-- The network secretariat's forms (network/staff-forms.ts): a seat's end date (a mandate ends; the seat is
-- kept, dated, for the body's history) and a contribution's text (the body of the contribution, beside its
-- summary and the versions of its document).
alter table network_seats add column until date;
alter table network_seats add constraint network_seats_dates check (until is null or since is null or until >= since);

alter table network_contributions add column body text not null default '' check (length(body) <= 100000);
