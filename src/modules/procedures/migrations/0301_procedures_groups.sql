-- Groups of agents and routing rules: which group instructs a dossier, decided on its answers
-- (e.g. the commune chosen sends the dossier to that commune's group: the EPCI serving its communes).

create table agent_groups (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  -- null: a group of the whole collectivité, usable by every procedure.
  procedure_id uuid,
  name text not null check (length(name) between 1 and 200),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, procedure_id) references procedures (tenant_id, id) on delete cascade
);
create index agent_groups_procedure on agent_groups (tenant_id, procedure_id);
select bastide_tenant_table('agent_groups');

create table agent_group_members (
  tenant_id uuid not null,
  group_id uuid not null,
  person_id uuid not null references people (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (tenant_id, group_id, person_id),
  foreign key (tenant_id, group_id) references agent_groups (tenant_id, id) on delete cascade
);
create index agent_group_members_person on agent_group_members (tenant_id, person_id);
select bastide_tenant_table('agent_group_members');

-- Evaluated in position order at submission; the first rule whose condition holds gives the group.
-- The condition uses the same language as field conditions ({"all": []} always holds: a default group).
create table routing_rules (
  tenant_id uuid not null,
  procedure_id uuid not null,
  position int not null,
  condition jsonb not null,
  group_id uuid not null,
  primary key (tenant_id, procedure_id, position),
  foreign key (tenant_id, procedure_id) references procedures (tenant_id, id) on delete cascade,
  foreign key (tenant_id, group_id) references agent_groups (tenant_id, id) on delete cascade
);
select bastide_tenant_table('routing_rules');
