-- Issue 10 row 6: mails that anyone can cause to be sent (a filing receipt to the address typed in, a
-- draft link, "this address already has an account", a password reset) are counted per recipient and
-- window, in the database so that every server process sees the same counts. The recipient is kept only as
-- an HMAC of the address under the installation secret: the table holds no address. Old windows are
-- deleted by the hourly job core.mail.recipient_counts.purge.
create table mail_recipient_counts (
  recipient_hash text not null,
  span text not null check (span in ('hour', 'day')),
  window_start timestamptz not null,
  -- Mails asked for in the window, sent or not.
  attempts integer not null default 0,
  -- Of those, the mails not sent because the recipient was over its limit.
  withheld integer not null default 0,
  primary key (recipient_hash, span, window_start)
);
create index mail_recipient_counts_window on mail_recipient_counts (window_start);
