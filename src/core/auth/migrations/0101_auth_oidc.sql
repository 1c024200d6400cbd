-- OpenID Connect providers, configured per collectivité (a commune has its own FranceConnect client),
-- and the identities they vouched for.

create table oidc_providers (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  -- In the start URL: /auth/oidc/<tenant>/<slug>.
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 40),
  kind text not null check (kind in ('franceconnect', 'proconnect', 'generic')),
  label text not null,
  issuer text not null,
  client_id text not null,
  client_secret text not null,
  scopes text not null,
  -- What a person unknown to this collectivité becomes: a citizen, or nobody (an existing
  -- membership is required: ProConnect for agents).
  new_person text not null check (new_person in ('citizen', 'require_membership')),
  -- Extra authorization parameters (FranceConnect's acr_values) and client metadata (signed userinfo).
  settings jsonb not null default '{}',
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, slug)
);
select bastide_tenant_table('oidc_providers');

create table oidc_identities (
  tenant_id uuid not null,
  provider_id uuid not null,
  subject text not null,
  person_id uuid not null references people (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (tenant_id, provider_id, subject),
  foreign key (tenant_id, provider_id) references oidc_providers (tenant_id, id) on delete cascade
);
create index oidc_identities_person on oidc_identities (tenant_id, person_id);
select bastide_tenant_table('oidc_identities');
