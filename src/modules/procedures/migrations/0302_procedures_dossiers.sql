-- Dossiers: answers in JSONB, what the inbox filters and sorts on in columns.

-- Human numbers from one sequence: no per-tenant counter row that every submission would queue on.
-- Numbers are unique per installation, hence per tenant, with gaps (as Démarches Simplifiées' are).
create sequence dossier_number_seq;

create table dossiers (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  number bigint not null default nextval('dossier_number_seq'),
  procedure_id uuid not null,
  revision int not null,
  state text not null check (state in ('brouillon', 'en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite')),
  group_id uuid,
  assignee_id uuid references people (id) on delete set null,
  labels text[] not null default '{}',
  applicant_person_id uuid references people (id) on delete set null,
  applicant_email text,
  -- A mediator's filing: {mediator_person_id, consent: {name, given_at, how}}.
  mediation jsonb,
  data jsonb not null default '{}',
  search tsvector,
  -- SHA-256 of the private tracking code given to a guest (the code itself is shown once).
  tracking_code_hash text,
  idempotency_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  instructed_at timestamptz,
  decided_at timestamptz,
  motivation text,
  primary key (tenant_id, id),
  unique (tenant_id, number),
  unique (tenant_id, idempotency_key),
  foreign key (tenant_id, procedure_id) references procedures (tenant_id, id),
  foreign key (tenant_id, procedure_id, revision) references procedure_revisions (tenant_id, procedure_id, revision),
  foreign key (tenant_id, group_id) references agent_groups (tenant_id, id) on delete set null (group_id)
);
-- The inbox: one procedure, one state, newest first.
create index dossiers_inbox on dossiers (tenant_id, procedure_id, state, submitted_at desc);
-- Across procedures.
create index dossiers_inbox_all on dossiers (tenant_id, state, submitted_at desc);
create index dossiers_group on dossiers (tenant_id, group_id, state, submitted_at desc);
create index dossiers_applicant on dossiers (tenant_id, applicant_person_id) where applicant_person_id is not null;
create index dossiers_search on dossiers using gin (search);
create index dossiers_labels on dossiers using gin (labels) where labels <> '{}';
select bastide_tenant_table('dossiers');

-- The history shown to the citizen and the agent (the journal remains the probative record).
create table dossier_transitions (
  tenant_id uuid not null,
  dossier_id uuid not null,
  seq int not null,
  from_state text,
  to_state text not null,
  actor text not null,
  motivation text,
  at timestamptz not null default now(),
  primary key (tenant_id, dossier_id, seq),
  foreign key (tenant_id, dossier_id) references dossiers (tenant_id, id) on delete cascade
);
select bastide_tenant_table('dossier_transitions');
revoke update on dossier_transitions from bastide_app;

-- Messages between agents and the citizen; visibility 'private' = an agents-only note.
create table dossier_messages (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  dossier_id uuid not null,
  author text not null,
  author_kind text not null check (author_kind in ('agent', 'citizen', 'system')),
  visibility text not null default 'public' check (visibility in ('public', 'private')),
  body text not null check (length(body) between 1 and 20000),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, dossier_id) references dossiers (tenant_id, id) on delete cascade
);
create index dossier_messages_dossier on dossier_messages (tenant_id, dossier_id, created_at);
select bastide_tenant_table('dossier_messages');

-- Files of a dossier: answers to file fields (field_key) or attached to a message (message_id).
create table dossier_attachments (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  dossier_id uuid not null,
  field_key text,
  message_id uuid,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  filename text not null check (length(filename) between 1 and 255),
  size bigint not null check (size >= 0),
  content_type text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, dossier_id) references dossiers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, message_id) references dossier_messages (tenant_id, id) on delete cascade,
  foreign key (tenant_id, sha256) references blobs (tenant_id, sha256)
);
create index dossier_attachments_dossier on dossier_attachments (tenant_id, dossier_id);
select bastide_tenant_table('dossier_attachments');
