-- Webhook delivery log: a coarse outcome only (issue 10, row 10). Before, the log kept the network's own
-- error text ("connect ECONNREFUSED 10.0.0.7:5432"), which made the webhook a port scanner of the host's
-- network for any designer. Existing texts become the coarse category `unreachable`, and a constraint
-- keeps anything else out: an HTTP status, or one of the outbound guard's categories
-- (src/core/net/outbound.ts, src/modules/procedures/webhooks/dispatch.ts).
update webhook_deliveries set error = 'unreachable'
  where error is not null
    and error !~ '^HTTP [0-9]{3}$'
    and error not in ('timeout', 'connection_refused', 'unreachable', 'tls', 'address_not_allowed', 'invalid_url');

alter table webhook_deliveries add constraint webhook_deliveries_coarse_error check (
  error is null
  or error ~ '^HTTP [0-9]{3}$'
  or error in ('timeout', 'connection_refused', 'unreachable', 'tls', 'address_not_allowed', 'invalid_url')
);
