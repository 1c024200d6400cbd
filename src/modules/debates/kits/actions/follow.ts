// Following a debate: an email to each follower when a new phase starts (a scheduled job finds the phases
// that started and announces each once: debate_phase_notices) and when the collectivité answers a
// contribution officially. Mail leaves through queueMail; each mail carries a signed unsubscribe link
// (HMAC of the collectivité, debate and person with the installation's secret), which needs no sign-in.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../../../core/db/database.ts';
import type { AppDeps } from '../../../../core/module.ts';
import type { Job } from '../../../../core/jobs/runner.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { enqueue } from '../../../../core/jobs/queue.ts';
import { queueMails } from '../../../../core/mail/mail.ts';
import { notFound } from '../../../../core/base/errors.ts';
import { isLocale, translator } from '../../../../core/i18n/i18n.ts';
import { canModerate, requirePerson, type Principal } from '../../debates.policy.ts';
import { findDebate } from '../../debates.repository.ts';
import { today } from '../../phases.ts';

export const FOLLOW_MAIL_JOB = 'debates.kits.follow_mail';
export const PHASE_SWEEP_JOB = 'debates.kits.phase_sweep';
/** A follower gets at most this many mails a day from one debate, whatever happens (answers in bulk). */
export const MAX_MAILS_PER_DAY = 5;

export function unsubscribeSignature(secret: string, tenantId: string, debateId: string, personId: string): string {
  return createHmac('sha256', secret).update(`debates-unsubscribe:${tenantId}:${debateId}:${personId}`).digest('base64url');
}

export function checkUnsubscribe(secret: string, tenantId: string, debateId: string, personId: string, signature: string): boolean {
  const expected = Buffer.from(unsubscribeSignature(secret, tenantId, debateId, personId));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function followDebate(db: Database, p: Principal, debateRef: string, follow: boolean): Promise<void> {
  const personId = requirePerson(p);
  await db.transaction(p.tenantId, async (tx) => {
    const debate = await findDebate(tx, debateRef);
    if (!debate || (debate.status === 'draft' && !canModerate(p))) throw notFound();
    const changed = follow
      ? await tx.execute('insert into debate_follows (tenant_id, debate_id, person_id) values (app_tenant(), $1, $2) on conflict do nothing', [
          debate.id,
          personId,
        ])
      : await tx.execute('delete from debate_follows where tenant_id = app_tenant() and debate_id = $1 and person_id = $2', [debate.id, personId]);
    if (changed) await journal(tx, { actor: p.actor, action: follow ? 'debates.follow' : 'debates.unfollow', subjectType: 'debate', subjectId: debate.id });
  });
}

export async function isFollowing(db: Database, tenantId: string, debateId: string, personId: string): Promise<boolean> {
  return db.transaction(
    tenantId,
    async (tx) => !!(await tx.one('select 1 from debate_follows where tenant_id = app_tenant() and debate_id = $1 and person_id = $2', [debateId, personId])),
  );
}

/** Unsubscribes through the signed link of a mail (no session needed); false when the link is not valid. */
export async function unsubscribeByLink(
  deps: Pick<AppDeps, 'db' | 'secret'>,
  tenantId: string,
  debateRef: string,
  personId: string,
  signature: string,
): Promise<boolean> {
  return deps.db.transaction(tenantId, async (tx) => {
    const debate = await findDebate(tx, debateRef);
    if (!debate || !/^[0-9a-f-]{36}$/i.test(personId) || !checkUnsubscribe(deps.secret, tenantId, debate.id, personId, signature)) return false;
    const removed = await tx.execute('delete from debate_follows where tenant_id = app_tenant() and debate_id = $1 and person_id = $2', [debate.id, personId]);
    if (removed)
      await journal(tx, { actor: `person:${personId}`, action: 'debates.unfollow', subjectType: 'debate', subjectId: debate.id, data: { by: 'link' } });
    return true;
  });
}

/** The follow mails of one event: a phase that started, or an official answer. */
export function followMailHandler(deps: Pick<AppDeps, 'db' | 'secret' | 'config'>) {
  return async (job: Job): Promise<void> => {
    const tenantId = job.tenant_id;
    const { debateId, event, contributionId, phaseId } = job.payload as {
      debateId: string;
      event: 'phase' | 'answer';
      contributionId?: string;
      phaseId?: string;
    };
    if (!tenantId) return;
    await deps.db.transaction(tenantId, async (tx) => {
      const debate = await tx.one<{ id: string; slug: string; title: string; tenant_slug: string }>(
        `select d.id, d.slug, d.title, t.slug as tenant_slug from debates d join tenants t on t.id = d.tenant_id where d.tenant_id = app_tenant() and d.id = $1 and d.status <> 'draft'`,
        [debateId],
      );
      if (!debate) return;
      const what =
        event === 'phase'
          ? await tx.one<{ title: string; summary: string }>('select title, summary from debate_phases where tenant_id = app_tenant() and id = $1', [phaseId])
          : await tx.one<{ title: string; summary: string }>(
              `select c.title, a.answer as summary from debate_contributions c join debate_answers a on a.tenant_id = c.tenant_id and a.contribution_id = c.id
               where c.tenant_id = app_tenant() and c.id = $1 and c.moderation = 'visible'`,
              [contributionId],
            );
      if (!what) return;
      // Followers, less those who already had MAX_MAILS_PER_DAY mails of this debate today (journaled sends).
      const followers = await tx.query<{ id: string; email: string; locale: string | null }>(
        `select p.id, p.email, p.locale from debate_follows f join people p on p.id = f.person_id
         where f.tenant_id = app_tenant() and f.debate_id = $1 and p.email_verified_at is not null
           and (select count(*) from journal_entries j where j.tenant_id = app_tenant() and j.action = 'debates.follow_mail'
                and j.subject_id = p.id::text and j.at > now() - interval '1 day' and j.data->>'debate' = $1::text) < $2`,
        [debate.id, MAX_MAILS_PER_DAY],
      );
      const page = `${deps.config.baseUrl}/${debate.tenant_slug}/concertations/${debate.slug}`;
      await queueMails(
        tx,
        followers.map((f) => {
          const t = translator(isLocale(f.locale) ? f.locale : 'fr');
          const link = `${page}/desabonnement?personne=${f.id}&signature=${unsubscribeSignature(deps.secret, tenantId, debate.id, f.id)}`;
          return {
            to: f.email,
            subject: t(event === 'phase' ? 'debates.kits.mail.phase_subject' : 'debates.kits.mail.answer_subject', { debate: debate.title }),
            text: t(event === 'phase' ? 'debates.kits.mail.phase_text' : 'debates.kits.mail.answer_text', {
              debate: debate.title,
              title: what.title,
              summary: what.summary.slice(0, 2000),
              url: page,
              unsubscribe: link,
            }),
          };
        }),
      );
      for (const f of followers) {
        await journal(tx, { actor: 'system', action: 'debates.follow_mail', subjectType: 'person', subjectId: f.id, data: { debate: debate.id, event } });
      }
    });
  };
}

/** Finds the phases of published debates that started today or earlier and were not announced yet. */
export function phaseSweepHandler(deps: Pick<AppDeps, 'db'>) {
  return async (): Promise<void> => {
    const day = today();
    const tenants = await deps.db.transaction(null, (tx) => tx.query<{ id: string }>('select id from tenants order by id'));
    for (const { id } of tenants) {
      await deps.db.transaction(id, async (tx) => {
        const started = await tx.query<{ id: string; debate_id: string }>(
          `select ph.id, ph.debate_id from debate_phases ph join debates d on d.tenant_id = ph.tenant_id and d.id = ph.debate_id
           where ph.tenant_id = app_tenant() and d.status = 'published' and ph.starts_on <= $1::date and ph.ends_on >= $1::date
             and not exists (select 1 from debate_phase_notices n where n.tenant_id = ph.tenant_id and n.phase_id = ph.id)`,
          [day],
        );
        for (const ph of started) {
          const claimed = await tx.execute('insert into debate_phase_notices (tenant_id, phase_id) values (app_tenant(), $1) on conflict do nothing', [ph.id]);
          if (claimed) await enqueue(tx, FOLLOW_MAIL_JOB, { debateId: ph.debate_id, event: 'phase', phaseId: ph.id });
        }
      });
    }
  };
}
