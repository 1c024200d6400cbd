-- Transfers to the definitive archive (issue 13, Leaving; the SEDA library's range 0650–0659).
-- A transfer names the units it sends (the chosen ones and everything under them); its package is written
-- on demand from the kept units and objects (docs/archives-seda.md), so nothing is copied. The archival
-- agency's reply (ArchiveTransferReply) is recorded beside it, never written over: a unit is transferred
-- once a reply accepting a transfer that holds it is recorded. Like the rest of the archives, insert-only.
create table archives_transfers (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  -- The SEDA MessageIdentifier of the package: the reply's MessageRequestIdentifier names it.
  message_identifier text not null check (length(message_identifier) between 1 and 200),
  archival_agency text not null check (length(archival_agency) between 1 and 500),
  transferring_agency text not null check (length(transferring_agency) between 1 and 500),
  comment text not null default '' check (length(comment) <= 2000),
  actor text not null,
  unit_count int not null check (unit_count >= 0),
  object_count int not null check (object_count >= 0),
  total_size bigint not null check (total_size >= 0),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, message_identifier)
);
select bastide_tenant_table('archives_transfers');

create table archives_transfer_units (
  tenant_id uuid not null,
  transfer_id uuid not null,
  unit_id uuid not null,
  primary key (tenant_id, transfer_id, unit_id),
  foreign key (tenant_id, transfer_id) references archives_transfers (tenant_id, id) on delete cascade,
  foreign key (tenant_id, unit_id) references archives_units (tenant_id, id) on delete cascade
);
select bastide_tenant_table('archives_transfer_units');
create index archives_transfer_units_unit on archives_transfer_units (tenant_id, unit_id);

create table archives_transfer_replies (
  tenant_id uuid not null,
  id uuid not null default uuid_v7(),
  transfer_id uuid not null,
  message_identifier text not null check (length(message_identifier) between 1 and 500),
  reply_code text not null default '' check (length(reply_code) <= 100),
  accepted boolean not null,
  grant_date timestamptz,
  archival_agency text not null default '' check (length(archival_agency) <= 500),
  -- For each unit of the transfer the reply names: the archival agency's identifiers (cote, Vitam GUID).
  unit_identifiers jsonb not null default '{}',
  actor text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, transfer_id) references archives_transfers (tenant_id, id) on delete cascade
);
select bastide_tenant_table('archives_transfer_replies');
create index archives_transfer_replies_transfer on archives_transfer_replies (tenant_id, transfer_id);

-- Cascades serve only the erasure of a collectivité. Insert-only, as the rest of the archives: the application role neither rewrites nor removes them.
revoke update, delete, truncate on archives_transfers, archives_transfer_units, archives_transfer_replies from bastide_app;
