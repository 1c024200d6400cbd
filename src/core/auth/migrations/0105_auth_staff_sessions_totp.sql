-- Issue 10, rows 3 and 4: staff roles count only for verified accounts, roles are granted by an emailed
-- invitation, staff sessions expire when idle or old, sensitive changes ask for a recent sign-in.
-- (TOTP seeds are encrypted by the application at start: SQL has no access to the key; see totp-seeds.ts.)

-- Sessions: when the browser was last seen (idle timeout of staff sessions) and when its person last
-- proved who they are (password, TOTP code or identity provider): the "recent sign-in" of sensitive forms.
alter table sessions add column last_seen_at timestamptz not null default now();
alter table sessions add column authenticated_at timestamptz not null default now();

-- The memberships that give rights: a staff role (anything but citizen) counts only once the person's
-- address is verified. Reading roles through this view, not the table, is what makes a membership of an
-- unverified account powerless, whatever wrote it. security_invoker: the memberships' RLS still applies.
create view effective_memberships with (security_invoker = true) as
  select m.tenant_id, m.person_id, m.role, m.created_at
  from memberships m join people p on p.id = m.person_id
  where m.role = 'citizen' or p.email_verified_at is not null;
grant select on effective_memberships to bastide_app;

-- Per tenant: a role offered to an address. It becomes a membership only when the owner of the address,
-- signed in with it, follows the emailed link (which also proves the address). Only a SHA-256 of the
-- link's token is stored.
create table member_invitations (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default uuid_v7(),
  -- Lower-cased: the account that may accept is the one with this address.
  email text not null check (email = lower(email)),
  role text not null check (role in ('citizen', 'mediator', 'agent', 'procedure_admin', 'data_steward', 'archivist', 'moderator', 'tenant_admin')),
  token_hash text not null,
  -- Journal actor of the administrator who invited (person:<uuid>).
  invited_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references people (id) on delete set null,
  revoked_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, token_hash)
);
create index member_invitations_email on member_invitations (tenant_id, email, created_at);
select bastide_tenant_table('member_invitations');
