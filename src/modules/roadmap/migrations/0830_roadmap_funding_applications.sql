-- Applications of a collectivité's projects to funding programmes (issue 16): amounts asked, granted and
-- paid (whole euros, in that order: paid ≤ granted ≤ asked), their dates in order, a status, and the
-- documents filed with them (blobs of the collectivité, core/files). A project applies once to a programme.
create table roadmap_funding_applications (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  project_id uuid not null,
  programme_id uuid not null references roadmap_programmes (id),
  status text not null default 'planned' check (status in ('planned', 'submitted', 'granted', 'refused', 'withdrawn')),
  amount_asked int not null check (amount_asked between 0 and 1000000000),
  amount_granted int check (amount_granted is null or amount_granted between 0 and 1000000000),
  amount_paid int check (amount_paid is null or amount_paid between 0 and 1000000000),
  submitted_on date,
  decided_on date,
  paid_on date,
  notes text not null default '' check (length(notes) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, project_id, programme_id),
  foreign key (tenant_id, project_id) references roadmap_projects (tenant_id, id) on delete cascade,
  -- Granted only once decided in favour; paid only out of what was granted.
  check (amount_granted is null or status = 'granted'),
  check (status <> 'granted' or amount_granted is not null),
  check (amount_granted is null or amount_granted <= amount_asked),
  check (amount_paid is null or (amount_granted is not null and amount_paid <= amount_granted)),
  check (decided_on is null or submitted_on is null or decided_on >= submitted_on),
  check (paid_on is null or decided_on is null or paid_on >= decided_on)
);
select bastide_tenant_table('roadmap_funding_applications');
create index roadmap_funding_applications_programme on roadmap_funding_applications (tenant_id, programme_id);

create table roadmap_funding_documents (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  application_id uuid not null,
  sha256 text not null,
  filename text not null check (length(filename) between 1 and 255),
  uploaded_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, application_id) references roadmap_funding_applications (tenant_id, id) on delete cascade,
  foreign key (tenant_id, sha256) references blobs (tenant_id, sha256)
);
select bastide_tenant_table('roadmap_funding_documents');
create index roadmap_funding_documents_application on roadmap_funding_documents (tenant_id, application_id);
