// The network's use cases, each one transaction with its journal entry. Network-side acts run in the
// network tenant's transaction (its administrator); member-side acts (join, leave, endorse, declare a
// solution) run in the MEMBER's transaction and cross over only through the SECURITY DEFINER functions of
// 0851_roadmap_network_functions.sql, which take the member from app_tenant().
import type { Database, Tx } from '../../../core/db/database.ts';
import { conflict, notFound, unprocessable } from '../../../core/base/errors.ts';
import { journal } from '../../../core/audit/journal.ts';
import { recordBlob, type StoredUpload } from '../../../core/files/upload.ts';
import type { Translate } from '../../../core/i18n/i18n.ts';
import { findBody, findContribution, isMember } from './network.repository.ts';

export interface Actor {
  networkId: string;
  actor: string;
  t: Translate;
}

export async function unique<T>(t: Translate, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw unprocessable({ slug: [t('roadmap.network.error.slug_taken')] });
    throw error;
  }
}

export async function createBody(db: Database, a: Actor, input: { slug: string; kind: string; name: string; description?: string }): Promise<{ id: string }> {
  return unique(a.t, () =>
    db.transaction(a.networkId, async (tx) => {
      const row = (await tx.one<{ id: string }>(
        `insert into network_bodies (tenant_id, slug, kind, name, description) values (app_tenant(), $1, $2, $3, $4) returning id`,
        [input.slug, input.kind, input.name, input.description ?? ''],
      ))!;
      await journal(tx, {
        actor: a.actor,
        action: 'roadmap.network.body.create',
        subjectType: 'network_body',
        subjectId: row.id,
        data: { slug: input.slug, kind: input.kind },
      });
      return row;
    }),
  );
}

export async function bodyOrFail(tx: Tx, t: Translate, slug: string) {
  const body = await findBody(tx, slug);
  if (!body) throw unprocessable({ body: [t('roadmap.network.error.unknown_body')] });
  return body;
}

export async function memberOrFail(tx: Tx, a: Actor, slug: string): Promise<string> {
  const row = await tx.one<{ id: string }>('select id from tenants where slug = $1', [slug]);
  if (!row || !(await isMember(tx, a.networkId, row.id))) throw unprocessable({ member: [a.t('roadmap.network.error.not_member')] });
  return row.id;
}

export async function addSeat(
  db: Database,
  a: Actor,
  bodySlug: string,
  input: { member: string; seat_role: string; holder_name?: string; holder_title?: string; since?: string; until?: string },
): Promise<{ id: string }> {
  if (input.since && input.until && input.until < input.since) throw unprocessable({ until: [a.t('roadmap.network.error.dates_order')] });
  return db.transaction(a.networkId, async (tx) => {
    const body = await bodyOrFail(tx, a.t, bodySlug);
    const memberId = await memberOrFail(tx, a, input.member);
    const row = (await tx.one<{ id: string }>(
      `insert into network_seats (tenant_id, body_id, member_tenant_id, seat_role, holder_name, holder_title, since, until)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7) returning id`,
      [body.id, memberId, input.seat_role, input.holder_name ?? '', input.holder_title ?? '', input.since ?? null, input.until ?? null],
    ))!;
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.seat.add',
      subjectType: 'network_body',
      subjectId: body.id,
      data: { seat: row.id, member: input.member },
    });
    return row;
  });
}

export async function addMeeting(
  db: Database,
  a: Actor,
  bodySlug: string,
  input: { held_on: string; title: string; place?: string; agenda: string[]; minutes?: string; minutes_public?: boolean },
): Promise<{ id: string }> {
  return db.transaction(a.networkId, async (tx) => {
    const body = await bodyOrFail(tx, a.t, bodySlug);
    const row = (await tx.one<{ id: string }>(
      `insert into network_meetings (tenant_id, body_id, held_on, title, place, agenda, minutes, minutes_public)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7) returning id`,
      [body.id, input.held_on, input.title, input.place ?? '', JSON.stringify(input.agenda), input.minutes ?? '', input.minutes_public ?? false],
    ))!;
    await journal(tx, { actor: a.actor, action: 'roadmap.network.meeting.add', subjectType: 'network_meeting', subjectId: row.id, data: { body: bodySlug } });
    return row;
  });
}

export async function createContribution(
  db: Database,
  a: Actor,
  input: { slug: string; title: string; summary?: string; body?: string; topics?: string[]; visibility?: 'members' | 'public' },
): Promise<{ id: string }> {
  return unique(a.t, () =>
    db.transaction(a.networkId, async (tx) => {
      const row = (await tx.one<{ id: string }>(
        `insert into network_contributions (tenant_id, slug, title, summary, body, topics, visibility) values (app_tenant(), $1, $2, $3, $4, $5, $6) returning id`,
        [input.slug, input.title, input.summary ?? '', input.body ?? '', input.topics ?? [], input.visibility ?? 'members'],
      ))!;
      await journal(tx, {
        actor: a.actor,
        action: 'roadmap.network.contribution.create',
        subjectType: 'contribution',
        subjectId: row.id,
        data: { slug: input.slug },
      });
      return row;
    }),
  );
}

/** Adoption by a body on a date; adopting opens it to the members' endorsements. */
export async function adoptContribution(db: Database, a: Actor, slug: string, input: { body: string; adopted_on: string; visibility?: 'members' | 'public' }) {
  return db.transaction(a.networkId, async (tx) => {
    const c = await findContribution(tx, { slug });
    if (!c) throw notFound();
    if (c.state !== 'draft') throw conflict(a.t('roadmap.network.error.not_draft'));
    const body = await bodyOrFail(tx, a.t, input.body);
    await tx.query(
      `update network_contributions set state = 'adopted', adopted_by = $2, adopted_on = $3, visibility = coalesce($4, visibility) where id = $1`,
      [c.id, body.id, input.adopted_on, input.visibility ?? null],
    );
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.contribution.adopt',
      subjectType: 'contribution',
      subjectId: c.id,
      data: { body: input.body, on: input.adopted_on },
    });
  });
}

/** A new version of a contribution's document (the upload is already bounded and stored: core/files). */
export async function addVersion(db: Database, a: Actor, slug: string, stored: StoredUpload, note: string): Promise<{ version: number }> {
  return db.transaction(a.networkId, async (tx) => {
    const c = await findContribution(tx, { slug });
    if (!c) throw notFound();
    await recordBlob(tx, stored);
    const row = (await tx.one<{ version: number }>(
      `insert into network_contribution_versions (tenant_id, contribution_id, version, blob_sha256, file_name, note, created_by)
       select app_tenant(), $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 from network_contribution_versions where contribution_id = $1
       returning version`,
      [c.id, stored.sha256, stored.filename || 'document', note.slice(0, 2000), a.actor],
    ))!;
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.contribution.version',
      subjectType: 'contribution',
      subjectId: c.id,
      data: { version: row.version, sha256: stored.sha256, size: stored.size },
    });
    return row;
  });
}

export async function createEvent(
  db: Database,
  a: Actor,
  input: {
    slug: string;
    kind: string;
    title: string;
    description?: string;
    starts_on: string;
    ends_on: string;
    place?: string;
    online?: boolean;
    sessions?: Array<{ starts_at: string; ends_at: string; title: string; speakers?: string }>;
  },
): Promise<{ id: string }> {
  const errors: Record<string, string[]> = {};
  if (input.ends_on < input.starts_on) errors.ends_on = [a.t('roadmap.network.error.dates_order')];
  (input.sessions ?? []).forEach((s, i) => {
    if (!(Date.parse(s.ends_at) > Date.parse(s.starts_at))) errors[`sessions.${i}.ends_at`] = [a.t('roadmap.network.error.dates_order')];
  });
  if (Object.keys(errors).length) throw unprocessable(errors);
  return unique(a.t, () =>
    db.transaction(a.networkId, async (tx) => {
      const row = (await tx.one<{ id: string }>(
        `insert into network_events (tenant_id, slug, kind, title, description, starts_on, ends_on, place, online)
         values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [input.slug, input.kind, input.title, input.description ?? '', input.starts_on, input.ends_on, input.place ?? '', input.online ?? false],
      ))!;
      for (const s of input.sessions ?? []) {
        await tx.query(
          `insert into network_event_sessions (tenant_id, event_id, starts_at, ends_at, title, speakers) values (app_tenant(), $1, $2, $3, $4, $5)`,
          [row.id, s.starts_at, s.ends_at, s.title, s.speakers ?? ''],
        );
      }
      await journal(tx, {
        actor: a.actor,
        action: 'roadmap.network.event.create',
        subjectType: 'network_event',
        subjectId: row.id,
        data: { slug: input.slug },
      });
      return row;
    }),
  );
}

export async function createProgramme(
  db: Database,
  a: Actor,
  input: { slug: string; name: string; description?: string; link?: string },
): Promise<{ id: string }> {
  return unique(a.t, () =>
    db.transaction(a.networkId, async (tx) => {
      const row = (await tx.one<{ id: string }>(
        `insert into network_programmes (tenant_id, slug, name, description, link) values (app_tenant(), $1, $2, $3, $4) returning id`,
        [input.slug, input.name, input.description ?? '', input.link ?? ''],
      ))!;
      await journal(tx, {
        actor: a.actor,
        action: 'roadmap.network.programme.create',
        subjectType: 'network_programme',
        subjectId: row.id,
        data: { slug: input.slug },
      });
      return row;
    }),
  );
}

/** The network invites a collectivité; it joins when its own administrator accepts (memberJoin). */
export async function inviteMember(db: Database, a: Actor, slug: string): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const row = await tx.one<{ id: string; kind: string }>('select id, kind from tenants where slug = $1', [slug]);
    if (!row || row.kind === 'network' || row.id === a.networkId) throw unprocessable({ member: [a.t('roadmap.network.error.unknown_collectivite')] });
    if (await isMember(tx, a.networkId, row.id)) throw conflict(a.t('roadmap.network.error.already_member'));
    await tx.query(`insert into network_invitations (tenant_id, invited_tenant_id, invited_by) values (app_tenant(), $1, $2) on conflict do nothing`, [
      row.id,
      a.actor,
    ]);
    await journal(tx, { actor: a.actor, action: 'roadmap.network.member.invite', subjectType: 'tenant', subjectId: row.id, data: { slug } });
  });
}

export async function removeMember(db: Database, a: Actor & { personId: string | null }, slug: string): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const row = await tx.one<{ id: string }>('select id from tenants where slug = $1', [slug]);
    const done = row && a.personId && (await tx.one<{ ok: boolean }>('select network_remove_member($1, $2) as ok', [row.id, a.personId]))?.ok;
    if (!done) throw notFound();
    await journal(tx, { actor: a.actor, action: 'roadmap.network.member.remove', subjectType: 'tenant', subjectId: row.id, data: { slug } });
  });
}

/** The network's administrator writes (or corrects) a meeting's minutes and says whether the public reads them. */
export async function publishMinutes(db: Database, a: Actor, meetingId: string, input: { minutes: string; minutes_public: boolean }): Promise<void> {
  await db.transaction(a.networkId, async (tx) => {
    const row = await tx.one<{ id: string }>('update network_meetings set minutes = $2, minutes_public = $3 where id = $1 returning id', [
      meetingId,
      input.minutes,
      input.minutes_public,
    ]);
    if (!row) throw notFound();
    await journal(tx, {
      actor: a.actor,
      action: 'roadmap.network.meeting.minutes',
      subjectType: 'network_meeting',
      subjectId: meetingId,
      data: { public: input.minutes_public, length: input.minutes.length },
    });
  });
}
