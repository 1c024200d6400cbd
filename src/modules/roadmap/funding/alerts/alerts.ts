// Saved searches ("alertes", as Aides-territoires has them): a staff member of a collectivité keeps criteria
// (themes, natures, words) and is mailed the programmes that are new since, or close within CLOSING_DAYS.
// Each programme is announced once per alert and kind (roadmap_funding_alert_sends' key), so that a job run
// twice, or by two processes, mails nothing twice. Mail leaves through queueMail (per-recipient limits).
import { randomBytes } from 'node:crypto';
import type { Database, Tx } from '../../../../core/db/database.ts';
import type { Config } from '../../../../config.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { unprocessable, notFound } from '../../../../core/base/errors.ts';
import { isUuid } from '../../../../core/db/ids.ts';
import { queueMail } from '../../../../core/mail/mail.ts';
import { isLocale, translator, type Translate } from '../../../../core/i18n/i18n.ts';
import { isOneOf, NATURES, THEMES } from '../vocabulary.ts';

export const ALERTS_JOB = 'roadmap.funding.alerts';
export const CLOSING_DAYS = 14;
export const MAX_ALERTS_PER_PERSON = 20;

export interface AlertRow {
  id: string;
  title: string;
  themes: string[];
  natures: string[];
  text_query: string;
  active: boolean;
  created_at: Date;
}

export interface AlertInput {
  title: string;
  themes: string[];
  natures: string[];
  text_query: string;
}

export async function listAlerts(tx: Tx, personId: string): Promise<AlertRow[]> {
  return tx.query<AlertRow>(
    `select id, title, themes, natures, text_query, active, created_at from roadmap_funding_alerts where tenant_id = app_tenant() and person_id = $1 order by created_at`,
    [personId],
  );
}

export async function createAlert(db: Database, who: { tenantId: string; personId: string; actor: string; t: Translate }, input: AlertInput): Promise<string> {
  const errors: Record<string, string[]> = {};
  const title = input.title.trim();
  if (!title || title.length > 200) errors.title = [who.t('roadmap.funding.error.alert_title')];
  if (!input.themes.every((x) => isOneOf(THEMES, x))) errors.themes = [who.t('roadmap.funding.error.theme_invalid')];
  if (!input.natures.every((x) => isOneOf(NATURES, x))) errors.natures = [who.t('roadmap.funding.error.nature_invalid')];
  if (input.text_query.length > 200) errors.text_query = [who.t('roadmap.funding.error.too_long', { max: 200 })];
  if (Object.keys(errors).length) throw unprocessable(errors);
  return db.transaction(who.tenantId, async (tx) => {
    if ((await listAlerts(tx, who.personId)).length >= MAX_ALERTS_PER_PERSON) {
      throw unprocessable({ title: [who.t('roadmap.funding.error.too_many_alerts', { max: MAX_ALERTS_PER_PERSON })] });
    }
    const row = await tx.one<{ id: string }>(
      `insert into roadmap_funding_alerts (tenant_id, person_id, title, themes, natures, text_query, unsubscribe_token)
       values (app_tenant(), $1, $2, $3, $4, $5, $6) returning id`,
      [who.personId, title, [...new Set(input.themes)], [...new Set(input.natures)], input.text_query.trim(), randomBytes(24).toString('base64url')],
    );
    await journal(tx, { actor: who.actor, action: 'roadmap.funding.alert.create', subjectType: 'funding_alert', subjectId: row!.id, data: { title } });
    return row!.id;
  });
}

/** Deletes one of the person's own alerts (another person's, or another collectivité's, is not found). */
export async function deleteAlert(db: Database, who: { tenantId: string; personId: string; actor: string }, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound();
  await db.transaction(who.tenantId, async (tx) => {
    const gone = await tx.one<{ id: string }>(`delete from roadmap_funding_alerts where tenant_id = app_tenant() and id = $1 and person_id = $2 returning id`, [
      id,
      who.personId,
    ]);
    if (!gone) throw notFound();
    await journal(tx, { actor: who.actor, action: 'roadmap.funding.alert.delete', subjectType: 'funding_alert', subjectId: id });
  });
}

/** The unsubscribe link of a mail: stops the alert without signing in; true when a live alert was stopped. */
export async function unsubscribe(db: Database, tenantId: string, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{32,64}$/.test(token)) return false;
  return db.transaction(tenantId, async (tx) => {
    const row = await tx.one<{ id: string }>(
      `update roadmap_funding_alerts set active = false where tenant_id = app_tenant() and unsubscribe_token = $1 and active returning id`,
      [token],
    );
    if (row) await journal(tx, { actor: 'unsubscribe-link', action: 'roadmap.funding.alert.unsubscribe', subjectType: 'funding_alert', subjectId: row.id });
    return row !== null;
  });
}

interface Due {
  alert_id: string;
  title: string;
  email: string;
  locale: string;
  token: string;
  programme_id: string;
  slug: string;
  name: string;
  closes_on: string | null;
  kind: 'new' | 'closing';
}

/** One run: every collectivité's live alerts, each mailed once with what it has not announced yet. */
export async function sendFundingAlerts(db: Database, config: Pick<Config, 'baseUrl'>, now: Date = new Date()): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const tenants = await db.transaction(null, (tx) => tx.query<{ id: string; slug: string; name: string }>('select id, slug, name from tenants order by id'));
  let mails = 0;
  for (const tenant of tenants) {
    mails += await db.transaction(tenant.id, async (tx) => {
      // Claimed first (insert … on conflict do nothing returning): what another run already announced is left out.
      const due = await tx.query<Due>(
        `with candidates as (
           select a.id as alert_id, g.id as programme_id,
                  case when g.created_at > a.since then 'new' else 'closing' end as kind
           from roadmap_funding_alerts a
           join roadmap_programmes g
             on (cardinality(a.themes) = 0 or g.themes && a.themes)
            and (cardinality(a.natures) = 0 or g.nature = any(a.natures))
            and (a.text_query = '' or (g.name || ' ' || g.funder || ' ' || g.description) ilike '%' || a.text_query || '%')
            and (g.closes_on is null or g.closes_on >= $1::date)
            and (g.created_at > a.since or (g.closes_on is not null and g.closes_on <= $1::date + $2::int))
           where a.tenant_id = app_tenant() and a.active),
         claimed as (
           insert into roadmap_funding_alert_sends (tenant_id, alert_id, programme_id, kind)
           select app_tenant(), alert_id, programme_id, kind from candidates
           on conflict do nothing returning alert_id, programme_id, kind)
         select c.alert_id, a.title, p.email, p.locale, a.unsubscribe_token as token, c.programme_id, g.slug, g.name,
                g.closes_on::text as closes_on, c.kind
         from claimed c join roadmap_funding_alerts a on a.tenant_id = app_tenant() and a.id = c.alert_id
         join people p on p.id = a.person_id join roadmap_programmes g on g.id = c.programme_id
         order by c.alert_id, c.kind, g.name`,
        [today, CLOSING_DAYS],
      );
      const byAlert = new Map<string, Due[]>();
      for (const d of due) byAlert.set(d.alert_id, [...(byAlert.get(d.alert_id) ?? []), d]);
      const base = config.baseUrl.replace(/\/+$/, '');
      for (const items of byAlert.values()) {
        const first = items[0]!;
        const t = translator(isLocale(first.locale) ? first.locale : 'fr');
        const lines = items.map(
          (d) =>
            `- ${d.name}${d.kind === 'closing' ? ` (${t('roadmap.funding.alert.closes', { date: d.closes_on ?? '' })})` : ''}\n  ${base}/${tenant.slug}/feuille-de-route/financements/${d.slug}`,
        );
        await queueMail(tx, {
          to: first.email,
          subject: t('roadmap.funding.alert.subject', { title: first.title, count: items.length }),
          text: t('roadmap.funding.alert.text', {
            tenant: tenant.name,
            title: first.title,
            list: lines.join('\n'),
            unsubscribe: `${base}/${tenant.slug}/feuille-de-route/alertes/desabonner/${first.token}`,
          }),
        });
      }
      return byAlert.size;
    });
  }
  return mails;
}
