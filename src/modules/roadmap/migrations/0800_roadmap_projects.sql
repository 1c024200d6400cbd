-- The digital roadmap (issue 16): a collectivité's projects, the collectivités it pools them with, the
-- indicators that follow them and their measured values, and links to what runs in Bastide. Tenant first
-- in every key, row-level security on every table (docs/modules.md §3). As everywhere in Bastide the owner
-- role is not subject to RLS (0005_core_rls_everywhere.sql): the application role always is.

-- Amounts are whole euros (integer): a digital project above a billion euros is a typing error, and an
-- integer reads back as a number on both engines.
create table roadmap_projects (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null check (length(title) between 1 and 200),
  theme text not null check (theme in ('data', 'responsible_digital', 'infrastructure', 'citizen_relations', 'archiving',
                                       'inclusion', 'hosting', 'new_tech_5g')),
  description text not null default '' check (length(description) <= 20000),
  stage text not null default 'idea' check (stage in ('idea', 'study', 'running', 'delivered', 'dropped')),
  start_on date,
  end_on date,
  budget_investment int not null default 0 check (budget_investment between 0 and 1000000000),
  budget_operation int not null default 0 check (budget_operation between 0 and 1000000000),
  -- A draft project is read by the collectivité's staff only; published, by everyone.
  published boolean not null default false,
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, slug),
  check (end_on is null or start_on is null or end_on >= start_on)
);
select bastide_tenant_table('roadmap_projects');
create index roadmap_projects_theme on roadmap_projects (tenant_id, theme, stage);

-- A pooled project ("projet mutualisé") is carried by its owner and shared with partner collectivités. The
-- row lives in the OWNER's tenant: only the owner names its partners (a collectivité cannot declare itself
-- partner of another's project) and only the owner edits the project. A partner reads the projects that
-- name it through roadmap_pooled_projects() below, never the owner's other rows.
create table roadmap_project_partners (
  tenant_id uuid not null,
  project_id uuid not null,
  partner_tenant_id uuid not null references tenants (id) on delete cascade,
  -- The partner's share of the budget, in euros (optional).
  contribution int check (contribution is null or contribution between 0 and 1000000000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, project_id, partner_tenant_id),
  foreign key (tenant_id, project_id) references roadmap_projects (tenant_id, id) on delete cascade,
  check (partner_tenant_id <> tenant_id)
);
select bastide_tenant_table('roadmap_project_partners');
create index roadmap_project_partners_partner on roadmap_project_partners (partner_tenant_id);

-- Indicators: of a project, or of the roadmap as a whole (project_id null). `source` is 'manual' (values
-- typed by staff) or the kind of figure Bastide measures itself each month.
create table roadmap_indicators (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  project_id uuid,
  name text not null check (length(name) between 1 and 200),
  unit text not null check (unit in ('count', 'percent', 'euro', 'score', 'megabyte')),
  target double precision check (target is null or (target >= 0 and target <= 1e12)),
  target_on date,
  source text not null default 'manual' check (source in ('manual', 'dossiers_online', 'datasets_published', 'dataset_quality',
                                                          'archive_volume', 'debate_participation', 'ecoindex')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  -- Referenced with the unit by the values: a value of another unit cannot be stored.
  unique (tenant_id, id, unit),
  foreign key (tenant_id, project_id) references roadmap_projects (tenant_id, id) on delete cascade
);
select bastide_tenant_table('roadmap_indicators');
create index roadmap_indicators_project on roadmap_indicators (tenant_id, project_id);

-- One value per indicator and date (Bastide's measurements are stored monthly, on the first of the month).
create table roadmap_indicator_values (
  tenant_id uuid not null,
  indicator_id uuid not null,
  measured_on date not null,
  value double precision not null check (value >= 0 and value <= 1e12),
  unit text not null,
  -- 'manual' (typed by staff) or 'bastide' (measured by the monthly job).
  origin text not null default 'manual' check (origin in ('manual', 'bastide')),
  recorded_at timestamptz not null default now(),
  primary key (tenant_id, indicator_id, measured_on),
  foreign key (tenant_id, indicator_id, unit) references roadmap_indicators (tenant_id, id, unit) on delete cascade,
  check (unit <> 'percent' or value <= 100),
  check (unit <> 'score' or value <= 100)
);
select bastide_tenant_table('roadmap_indicator_values');

-- What the project runs in Bastide: a procedure, a dataset or a debate of the same collectivité, by slug.
create table roadmap_project_links (
  tenant_id uuid not null,
  project_id uuid not null,
  kind text not null check (kind in ('procedure', 'dataset', 'debate')),
  ref text not null check (ref ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(ref) <= 80),
  created_at timestamptz not null default now(),
  primary key (tenant_id, project_id, kind, ref),
  foreign key (tenant_id, project_id) references roadmap_projects (tenant_id, id) on delete cascade
);
select bastide_tenant_table('roadmap_project_links');

-- The pooled projects that name the current collectivité (app_tenant()) as partner, with their owner.
-- Drafts only when asked (the partner's staff pages); public pages ask for published ones. Nothing else of
-- the owner is returned, and no caller-given filter can widen it: the partner is always app_tenant().
create function roadmap_pooled_projects(include_drafts boolean) returns table (
  owner_tenant_id uuid, owner_slug text, owner_name text, id uuid, slug text, title text, theme text, stage text,
  start_on date, end_on date, budget_investment int, budget_operation int, published boolean, contribution int
)
language sql stable security definer set search_path = public as $$
  select p.tenant_id, t.slug, t.name, p.id, p.slug, p.title, p.theme, p.stage, p.start_on, p.end_on,
         p.budget_investment, p.budget_operation, p.published, pp.contribution
  from roadmap_project_partners pp
  join roadmap_projects p on p.tenant_id = pp.tenant_id and p.id = pp.project_id
  join tenants t on t.id = p.tenant_id
  where app_tenant() is not null and pp.partner_tenant_id = app_tenant() and (include_drafts or p.published)
  order by p.title
$$;
revoke execute on function roadmap_pooled_projects(boolean) from public;
grant execute on function roadmap_pooled_projects(boolean) to bastide_app;
