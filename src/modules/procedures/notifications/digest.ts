// The agents' daily digest: once a day (from 7:00, Paris time), each agent with work waiting gets one
// email: dossiers filed in the last 24 hours and dossiers waiting, among those their inbox shows them
// (procedures.policy.ts, personScopeSql: the same rule as the inbox, the PDF and labels). agent_digests
// makes it once per agent and day even with several server processes running the scheduler.
import type { Database } from '../../../core/db/database.ts';
import type { Config } from '../../../config.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import { isLocale, translator } from '../../../core/i18n/i18n.ts';
import { personScopeSql } from '../procedures.policy.ts';

/** Job kind of the daily digest (scheduled hourly by ops.ts; sends once a day per agent). */
export const DIGEST_JOB = 'procedures.digest.daily';

const SEND_FROM_HOUR = 7;

function parisDayAndHour(now: Date): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

interface AgentCounts {
  person_id: string;
  email: string;
  locale: string;
  fresh: string;
  waiting: string;
}

export async function sendDailyDigests(db: Database, config: Pick<Config, 'baseUrl'>, now: Date = new Date()): Promise<number> {
  const { day, hour } = parisDayAndHour(now);
  if (hour < SEND_FROM_HOUR) return 0;
  const tenants = await db.transaction(null, (tx) => tx.query<{ id: string; slug: string; name: string }>('select id, slug, name from tenants order by id'));
  let sent = 0;
  for (const tenant of tenants) {
    sent += await db.transaction(tenant.id, async (tx) => {
      // Recipients: the agent role, or membership of a group; what each one is told about is exactly what
      // their inbox lists (someone whose roles no longer let them instruct is told about nothing).
      const params: unknown[] = [now.toISOString(), day];
      const agents = await tx.query<AgentCounts>(
        `with agents as (
           select person_id from (
             select person_id from effective_memberships where tenant_id = app_tenant() and role = 'agent'
             union select person_id from agent_group_members where tenant_id = app_tenant()) a
           -- Agents already served today are left out before any dossier is counted.
           where not exists (select 1 from agent_digests g where g.tenant_id = app_tenant() and g.person_id = a.person_id and g.day = $2::date)),
         scoped as (
           select a.person_id, d.state, d.submitted_at
           from agents a
           join dossiers d on d.tenant_id = app_tenant() and d.state in ('en_construction', 'en_instruction')
            and ${personScopeSql('d', 'a.person_id', params)})
         select s.person_id, p.email, p.locale,
                count(*) filter (where s.submitted_at > $1::timestamptz - interval '1 day')::text as fresh,
                count(*)::text as waiting
         from scoped s join people p on p.id = s.person_id
         group by s.person_id, p.email, p.locale`,
        params,
      );
      let count = 0;
      for (const a of agents) {
        if (Number(a.fresh) === 0 && Number(a.waiting) === 0) continue;
        const claimed = await tx.execute('insert into agent_digests (tenant_id, person_id, day) values (app_tenant(), $1, $2) on conflict do nothing', [
          a.person_id,
          day,
        ]);
        if (!claimed) continue;
        // In the agent's language, singular and plural through the dictionary's plural forms.
        const t = translator(isLocale(a.locale) ? a.locale : 'fr');
        const fresh = Number(a.fresh);
        const waiting = Number(a.waiting);
        await queueMail(tx, {
          to: a.email,
          subject: t('procedures.digest.subject', { tenant: tenant.name, fresh: t('procedures.digest.fresh', { count: fresh }), waiting }),
          text: t('procedures.digest.text', {
            tenant: tenant.name,
            fresh_filed: t('procedures.digest.fresh_filed', { count: fresh }),
            waiting_long: t('procedures.digest.waiting', { count: waiting }),
            link: `${config.baseUrl.replace(/\/+$/, '')}/${tenant.slug}/instruction`,
          }),
        });
        count += 1;
      }
      return count;
    });
  }
  return sent;
}
