-- Issue 10, rows 1 and 2: an identity from a provider is bound to an account by (provider, subject) only;
-- binding it to an account that already exists needs proof from that account (docs/authentication.md).

-- Per tenant: a sign-in through FranceConnect or ProConnect whose address belongs to an existing account.
-- Nothing is bound until the person proves the account is theirs, in the browser that made the sign-in:
-- by signing in to it, or by the link mailed to its address. `id` is the SHA-256 of a random secret held
-- in that browser's cookie; `mail_token_hash` the SHA-256 of the mailed link's token, once sent.
create table oidc_link_requests (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id text not null,
  provider_id uuid not null,
  subject text not null,
  person_id uuid not null references people (id) on delete cascade,
  -- The name the provider gave, quoted in the mail so its reader knows whose sign-in it was.
  claimed_name text not null default '',
  next text not null,
  -- The address the link was mailed to: the proof holds only while the account still has it.
  mailed_to text,
  mail_token_hash text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, provider_id) references oidc_providers (tenant_id, id) on delete cascade
);
create index oidc_link_requests_expiry on oidc_link_requests (expires_at);
select bastide_tenant_table('oidc_link_requests');

-- Bindings the old rule made from an email claim alone: an identity tied to an account that existed
-- before it (a person created by the provider is inserted in the same transaction as its identity, so
-- both rows carry the same now()). Such a binding may be an attacker's; its owner proves it again once.
-- No binding to a host operator is kept either: a provider never signs a host operator in.
delete from oidc_identities i
using people p
where p.id = i.person_id and (p.created_at < i.created_at or p.is_host_operator);
