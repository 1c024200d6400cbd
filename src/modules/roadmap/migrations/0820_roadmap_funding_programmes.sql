-- Funding programmes (issue 16), as Aides-territoires describes aids: installation-wide, read by every
-- collectivité, written only by the host operator. The application role may only read them: the host
-- operator's actions write through the owner role after checking who asks (funding/actions/programmes.ts),
-- so a collectivité's administrator cannot create or change a programme even with a forged request.
create table roadmap_programmes (
  id uuid primary key default uuid_v7(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  name text not null check (length(name) between 1 and 200),
  funder text not null check (length(btrim(funder)) between 1 and 200),
  nature text not null check (nature in ('grant', 'loan', 'engineering', 'other')),
  description text not null default '' check (length(description) <= 20000),
  -- Kinds of collectivité that may apply (tenants.kind, without 'network').
  audiences text[] not null check (cardinality(audiences) > 0 and audiences <@ array['commune', 'epci', 'departement', 'region', 'syndicate']),
  -- The territory, as COG codes with their level: 'FR' (national), 'R:52', 'D:44', 'E:244400404', 'C:44109'.
  -- A collectivité's own codes (its commune, EPCI, département, région, FR) overlap these when it is inside.
  territory text[] not null check (cardinality(territory) > 0),
  -- Roadmap project themes (0800_roadmap_projects.sql).
  themes text[] not null check (cardinality(themes) > 0 and themes <@ array['data', 'responsible_digital', 'infrastructure',
    'citizen_relations', 'archiving', 'inclusion', 'hosting', 'new_tech_5g']),
  population_min int check (population_min is null or population_min >= 0),
  population_max int check (population_max is null or population_max >= 0),
  max_rate int check (max_rate is null or max_rate between 0 and 100),
  -- Whole euros, as project budgets are.
  max_amount bigint check (max_amount is null or max_amount between 0 and 100000000000),
  opens_on date,
  closes_on date,
  recurrence text not null check (recurrence in ('permanent', 'annual', 'one_off')),
  url text not null default '' check (url = '' or (url ~ '^https?://' and length(url) <= 500)),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (population_max is null or population_min is null or population_max >= population_min),
  check (closes_on is null or opens_on is null or closes_on >= opens_on)
);
revoke insert, update, delete, truncate on roadmap_programmes from bastide_app;
grant select on roadmap_programmes to bastide_app;
-- Matching prefilters candidates on these arrays (&&), then scores them in code (funding/matching.ts).
create index roadmap_programmes_territory on roadmap_programmes using gin (territory);
create index roadmap_programmes_audiences on roadmap_programmes using gin (audiences);
create index roadmap_programmes_themes on roadmap_programmes using gin (themes);
create index roadmap_programmes_closes on roadmap_programmes (closes_on);
create index roadmap_programmes_created on roadmap_programmes (created_at);

-- The programmes' own audit trail: they belong to no collectivité, so their changes cannot go to a
-- collectivité's journal. Append-only, written in the same transaction as the change.
create table roadmap_programme_changes (
  id uuid primary key default uuid_v7(),
  programme_id uuid not null references roadmap_programmes (id) on delete cascade,
  at timestamptz not null default now(),
  actor text not null,
  action text not null check (action in ('create', 'update')),
  data jsonb not null default '{}'
);
revoke insert, update, delete, truncate on roadmap_programme_changes from bastide_app;
grant select on roadmap_programme_changes to bastide_app;
create index roadmap_programme_changes_programme on roadmap_programme_changes (programme_id, at);

-- Saved searches ("alertes"): a collectivité's staff member keeps criteria and is mailed the programmes
-- that are new or close soon. Tenant-owned, row-level security as everywhere.
create table roadmap_funding_alerts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  person_id uuid not null references people (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  themes text[] not null default '{}',
  natures text[] not null default '{}',
  text_query text not null default '' check (length(text_query) <= 200),
  -- Random token of the unsubscribe link (mail footer), valid without signing in.
  unsubscribe_token text not null check (length(unsubscribe_token) >= 32),
  active boolean not null default true,
  -- Programmes created before this instant are not "new" for this alert.
  since timestamptz not null default now(),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, unsubscribe_token)
);
select bastide_tenant_table('roadmap_funding_alerts');
create index roadmap_funding_alerts_person on roadmap_funding_alerts (tenant_id, person_id);

-- What each alert already announced: a programme is announced once as new and once as closing.
create table roadmap_funding_alert_sends (
  tenant_id uuid not null,
  alert_id uuid not null,
  programme_id uuid not null references roadmap_programmes (id) on delete cascade,
  kind text not null check (kind in ('new', 'closing')),
  sent_at timestamptz not null default now(),
  primary key (tenant_id, alert_id, programme_id, kind),
  foreign key (tenant_id, alert_id) references roadmap_funding_alerts (tenant_id, id) on delete cascade
);
select bastide_tenant_table('roadmap_funding_alert_sends');
