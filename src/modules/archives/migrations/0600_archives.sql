-- Digital archiving (issue 13): archive units (a tree with SEDA descriptive metadata), their objects
-- (bytes in the blob store, digests and identified format), the ingest operations that brought them,
-- the management-rule library and the rules attached to units, fixity checks and eliminations.
-- Tenant first in every key, row-level security on every table (docs/modules.md §3).
--
-- Immutability: units, objects, ingests and non-hold unit rules are written once. The application role
-- has no UPDATE, DELETE or TRUNCATE on them, and triggers refuse any change (even by the owner) unless
-- the transaction names an APPROVED elimination in the setting `bastide.archives_elimination` and the
-- row belongs to a unit of that elimination; the only change then allowed is the tombstone (eliminated_at,
-- elimination_id, and for an object blob_sha256 set to null). The tombstone is written through
-- archives_tombstone() (SECURITY DEFINER, scoped to app_tenant()), the single door the elimination
-- action uses. A row may be deleted only when its collectivité is being deleted (cascade).

-- One ingest operation: an upload, a SEDA package, a decided dossier, a dataset version.
create table archives_ingests (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  kind text not null check (kind in ('upload', 'seda', 'procedures', 'catalogue')),
  -- What the source calls it: the SEDA MessageIdentifier, a dossier number, a dataset version.
  source_ref text not null default '' check (length(source_ref) <= 500),
  actor text not null,
  unit_count int not null check (unit_count >= 0),
  object_count int not null check (object_count >= 0),
  total_size bigint not null check (total_size >= 0),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select bastide_tenant_table('archives_ingests');

-- The rule library of a collectivité (SEDA management rules: RuleId, category, duration, final action).
-- A host shares its library with its members by marking rules `shared` (read through archives_visible_rules()).
create table archives_rules (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  category text not null check (category in ('appraisal', 'access', 'dissemination', 'reuse', 'storage', 'classification', 'hold')),
  label text not null check (length(label) between 1 and 300),
  -- The duration in years; null = unlimited (a hold until it is lifted, a record kept forever).
  duration_years int check (duration_years is null or duration_years between 0 and 999),
  -- appraisal: keep | destroy; storage: restrict_access | transfer | copy; others: none.
  final_action text check (final_action in ('keep', 'destroy', 'restrict_access', 'transfer', 'copy')),
  legal_ground text not null default '' check (length(legal_ground) <= 1000),
  shared boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  check (case category
           when 'appraisal' then final_action in ('keep', 'destroy')
           when 'storage' then final_action is null or final_action in ('restrict_access', 'transfer', 'copy')
           else final_action is null end)
);
select bastide_tenant_table('archives_rules');

-- Archive units: a tree; SEDA DescriptiveMetadata (the subset the platform shows and searches).
create table archives_units (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  parent_id uuid,
  ingest_id uuid not null,
  level text not null default 'Item' check (level in ('Fonds', 'Subfonds', 'Class', 'Collection', 'Series', 'Subseries', 'RecordGrp', 'SubGrp', 'File', 'Item', 'OtherLevel')),
  title text not null check (length(title) between 1 and 1000),
  description text not null default '' check (length(description) <= 100000),
  start_date date,
  end_date date check (end_date is null or start_date is null or end_date >= start_date),
  originating_agency text not null default '' check (length(originating_agency) <= 500),
  submission_agency text not null default '' check (length(submission_agency) <= 500),
  archival_agency text not null default '' check (length(archival_agency) <= 500),
  transferring_agency text not null default '' check (length(transferring_agency) <= 500),
  keywords text[] not null default '{}' check (cardinality(keywords) <= 200),
  -- SEDA PreventInheritance per category, and RefNonRuleId (rule codes not inherited) per category.
  prevent_inheritance text[] not null default '{}',
  ref_non_rule_ids jsonb not null default '{}',
  -- Effective rules computed at ingest (rules.ts), kept because the unit, its ancestors and their rules
  -- never change: the date it becomes communicable ('infinity' when never; null: no access rule, free),
  -- and the end of its appraisal period (DUA) with the final action.
  access_end date,
  appraisal_end date,
  appraisal_final text check (appraisal_final in ('keep', 'destroy')),
  -- French full text of title, description and keywords, computed once at ingest (the row never changes).
  search tsvector not null,
  created_at timestamptz not null default now(),
  eliminated_at timestamptz,
  elimination_id uuid,
  primary key (tenant_id, id),
  foreign key (tenant_id, parent_id) references archives_units (tenant_id, id),
  foreign key (tenant_id, ingest_id) references archives_ingests (tenant_id, id)
);
select bastide_tenant_table('archives_units');
create index archives_units_parent on archives_units (tenant_id, parent_id);
create index archives_units_search on archives_units using gin (search);
create index archives_units_dates on archives_units (tenant_id, start_date, end_date);
create index archives_units_appraisal on archives_units (tenant_id, appraisal_end) where appraisal_final = 'destroy' and eliminated_at is null;

-- Rules attached to a unit, with the start date from which their duration runs.
create table archives_unit_rules (
  tenant_id uuid not null,
  unit_id uuid not null,
  category text not null check (category in ('appraisal', 'access', 'dissemination', 'reuse', 'storage', 'classification', 'hold')),
  rule_code text not null,
  start_date date,
  -- Who placed a hold and why (holds are placed and lifted after ingest; other rules come with the unit).
  note text not null default '' check (length(note) <= 1000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, unit_id, category, rule_code),
  foreign key (tenant_id, unit_id) references archives_units (tenant_id, id)
);
select bastide_tenant_table('archives_unit_rules');

-- Objects: the bytes (blob store, addressed by SHA-256) with SHA-512 (SEDA's default), size and format.
create table archives_objects (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  unit_id uuid not null,
  ingest_id uuid not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  sha512 text not null check (sha512 ~ '^[0-9a-f]{128}$'),
  -- The blob while it is kept; null once eliminated (the digests stay, as evidence).
  blob_sha256 text,
  size bigint not null check (size >= 0),
  -- PRONOM identifier (fmt/…, x-fmt/…) or null when none applies; MIME type and format name.
  format_id text check (format_id is null or format_id ~ '^(x-)?fmt/[0-9]{1,5}$'),
  mime text not null,
  format_name text not null,
  filename text not null check (length(filename) between 1 and 255),
  usage text not null default 'BinaryMaster' check (usage in ('BinaryMaster', 'Dissemination', 'Thumbnail', 'TextContent', 'PhysicalMaster')),
  created_at timestamptz not null default now(),
  eliminated_at timestamptz,
  elimination_id uuid,
  primary key (tenant_id, id),
  foreign key (tenant_id, unit_id) references archives_units (tenant_id, id),
  foreign key (tenant_id, ingest_id) references archives_ingests (tenant_id, id),
  foreign key (tenant_id, blob_sha256) references blobs (tenant_id, sha256),
  check (blob_sha256 is null or blob_sha256 = sha256),
  check ((blob_sha256 is null) = (eliminated_at is not null))
);
select bastide_tenant_table('archives_objects');
create index archives_objects_unit on archives_objects (tenant_id, unit_id);

-- The last fixity check of each object (the rolling audit takes the least recently checked first).
create table archives_fixity (
  tenant_id uuid not null,
  object_id uuid not null,
  checked_at timestamptz not null,
  outcome text not null check (outcome in ('ok', 'altered', 'missing')),
  primary key (tenant_id, object_id),
  foreign key (tenant_id, object_id) references archives_objects (tenant_id, id)
);
select bastide_tenant_table('archives_fixity');
create index archives_fixity_checked on archives_fixity (tenant_id, checked_at);

-- Eliminations: proposed, then approved with the visa of the Archives départementales, then executed.
create table archives_eliminations (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  state text not null default 'proposed' check (state in ('proposed', 'approved', 'executed', 'cancelled')),
  created_by text not null,
  created_at timestamptz not null default now(),
  -- The visa (Code du patrimoine R212-14 ff.): who signed, when, the reference of the decision.
  visa_authority text check (length(visa_authority) <= 300),
  visa_signatory text check (length(visa_signatory) <= 300),
  visa_date date,
  visa_reference text check (length(visa_reference) <= 300),
  approved_by text,
  approved_at timestamptz,
  executed_by text,
  executed_at timestamptz,
  -- The certificate's PDF (a blob of the collectivité, kept).
  certificate_sha256 text,
  primary key (tenant_id, id),
  foreign key (tenant_id, certificate_sha256) references blobs (tenant_id, sha256),
  check (state not in ('approved', 'executed') or (visa_authority is not null and visa_signatory is not null and visa_date is not null and visa_reference is not null and approved_at is not null)),
  check (state <> 'executed' or executed_at is not null)
);
select bastide_tenant_table('archives_eliminations');

create table archives_elimination_units (
  tenant_id uuid not null,
  elimination_id uuid not null,
  unit_id uuid not null,
  primary key (tenant_id, elimination_id, unit_id),
  foreign key (tenant_id, elimination_id) references archives_eliminations (tenant_id, id),
  foreign key (tenant_id, unit_id) references archives_units (tenant_id, id)
);
select bastide_tenant_table('archives_elimination_units');
create index archives_elimination_units_unit on archives_elimination_units (tenant_id, unit_id);

-- The application role writes archives once. A library rule is never edited once written (units computed
-- their effective rules from it): only its label and whether the host shares it may change.
revoke update on archives_rules from bastide_app;
grant update (label, shared) on archives_rules to bastide_app;
revoke delete on archives_rules from bastide_app;
revoke update, delete, truncate on archives_units, archives_objects, archives_ingests from bastide_app;
revoke update, truncate on archives_unit_rules from bastide_app;
revoke delete, truncate on archives_eliminations, archives_elimination_units from bastide_app;

-- The guard: an elimination named by the transaction, approved, that covers the row's unit.
create or replace function archives_elimination_covers(tenant uuid, unit uuid) returns boolean language plpgsql as $$
declare
  named text := nullif(current_setting('bastide.archives_elimination', true), '');
begin
  if named is null or named !~ '^[0-9a-f-]{36}$' then
    return false;
  end if;
  return exists (
    select 1 from archives_eliminations e join archives_elimination_units eu on eu.tenant_id = e.tenant_id and eu.elimination_id = e.id
    where e.tenant_id = tenant and e.id = named::uuid and e.state = 'approved' and eu.unit_id = unit);
end $$;

create or replace function archives_guard() returns trigger language plpgsql as $$
declare
  unit uuid;
  allowed text[];
begin
  if tg_op = 'TRUNCATE' then
    raise exception 'archives are immutable: % cannot be truncated', tg_table_name using errcode = 'insufficient_privilege';
  end if;
  if tg_op = 'DELETE' then
    -- The collectivité itself is being deleted (cascade): its archives go with it.
    if not exists (select 1 from tenants where id = old.tenant_id) then
      return old;
    end if;
    if tg_table_name = 'archives_unit_rules' and old.category = 'hold' then
      return old;
    end if;
    raise exception 'archives are immutable: % rows cannot be deleted', tg_table_name using errcode = 'insufficient_privilege';
  end if;
  -- UPDATE: only a tombstone, only under an approved elimination that covers the unit.
  unit := case tg_table_name when 'archives_units' then old.id when 'archives_objects' then old.unit_id else null end;
  allowed := case tg_table_name when 'archives_units' then array['eliminated_at', 'elimination_id']
                                when 'archives_objects' then array['eliminated_at', 'elimination_id', 'blob_sha256'] else null end;
  if unit is null or old.eliminated_at is not null or not archives_elimination_covers(old.tenant_id, unit)
     or (to_jsonb(new) - allowed) is distinct from (to_jsonb(old) - allowed)
     or new.elimination_id is distinct from nullif(current_setting('bastide.archives_elimination', true), '')::uuid then
    raise exception 'archives are immutable: % rows change only through an approved elimination', tg_table_name using errcode = 'insufficient_privilege';
  end if;
  return new;
end $$;

create trigger archives_units_guard before update or delete on archives_units for each row execute function archives_guard();
create trigger archives_objects_guard before update or delete on archives_objects for each row execute function archives_guard();
create trigger archives_ingests_guard before update or delete on archives_ingests for each row execute function archives_guard();
create trigger archives_unit_rules_guard before update or delete on archives_unit_rules for each row execute function archives_guard();
create trigger archives_units_truncate before truncate on archives_units for each statement execute function archives_guard();
create trigger archives_objects_truncate before truncate on archives_objects for each statement execute function archives_guard();

-- The tombstone door of the elimination action (the application role has no UPDATE on these tables).
-- Runs as the owner, who is not subject to row-level security: hence the explicit app_tenant().
create or replace function archives_tombstone(elimination uuid) returns int language plpgsql security definer set search_path = public as $$
declare
  n int;
begin
  if app_tenant() is null or current_setting('bastide.archives_elimination', true) is distinct from elimination::text then
    raise exception 'archives_tombstone: the transaction does not name this elimination' using errcode = 'insufficient_privilege';
  end if;
  update archives_objects o set eliminated_at = now(), elimination_id = elimination, blob_sha256 = null
    from archives_elimination_units eu
    where o.tenant_id = app_tenant() and eu.tenant_id = app_tenant() and eu.elimination_id = elimination and o.unit_id = eu.unit_id and o.eliminated_at is null;
  get diagnostics n = row_count;
  update archives_units u set eliminated_at = now(), elimination_id = elimination
    from archives_elimination_units eu
    where u.tenant_id = app_tenant() and eu.tenant_id = app_tenant() and eu.elimination_id = elimination and u.id = eu.unit_id and u.eliminated_at is null;
  return n;
end $$;
revoke execute on function archives_tombstone(uuid) from public;
grant execute on function archives_tombstone(uuid) to bastide_app;

-- The rules a collectivité may attach: its own library, and the rules its host (or the EPCI it is a
-- member of) shares. Runs as the owner to read the host's shared rules, nothing else of the host's.
create or replace function archives_visible_rules() returns table (
  owner_tenant uuid, code text, category text, label text, duration_years int, final_action text, legal_ground text, shared boolean
) language sql stable security definer set search_path = public as $$
  select r.tenant_id, r.code, r.category, r.label, r.duration_years, r.final_action, r.legal_ground, r.shared
  from archives_rules r
  where app_tenant() is not null and (
    r.tenant_id = app_tenant()
    or (r.shared and r.tenant_id in (
      select host_tenant_id from tenants where id = app_tenant() and host_tenant_id is not null
      union select related_tenant_id from tenant_relations where tenant_id = app_tenant() and kind in ('member_of', 'hosted_by'))))
$$;
revoke execute on function archives_visible_rules() from public;
grant execute on function archives_visible_rules() to bastide_app;
