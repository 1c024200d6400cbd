-- Sign-in by password: single-use, expiring tokens sent by email (address verification, password
-- reset), TOTP enrolment state, and a per-person view of memberships across tenants.

-- Global (people are global): only a SHA-256 of the token is stored; the link in the mail is the token.
create table auth_email_tokens (
  id text primary key,
  person_id uuid not null references people (id) on delete cascade,
  purpose text not null check (purpose in ('verify_email', 'reset_password')),
  -- The address the token was sent to: changing one's email makes older verification links useless.
  email text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index auth_email_tokens_person on auth_email_tokens (person_id, purpose);

-- TOTP: a secret being enrolled is kept apart until a first code confirms it; the last accepted time
-- step is remembered so that a code cannot be replayed within its validity window.
alter table people add column totp_pending_secret text;
alter table people add column totp_last_step bigint;

-- Memberships are tenant-owned rows (RLS). "My memberships in every collectivité" is the one place where
-- the application reads across tenants: a SECURITY DEFINER function answers exactly that question for
-- one person (slug, name, role: nothing else), so no request needs an owner-level transaction.
create or replace function person_memberships(p_person uuid)
returns table (tenant_id uuid, slug text, name text, role text)
language sql stable security definer set search_path = public, pg_temp as $$
  select t.id, t.slug, t.name, m.role
  from memberships m join tenants t on t.id = m.tenant_id
  where m.person_id = p_person
  order by t.name, m.role
$$;
revoke all on function person_memberships(uuid) from public;
grant execute on function person_memberships(uuid) to bastide_app;
