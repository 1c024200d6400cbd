// Creating and editing funding programmes: the host operator only. The application role cannot write the
// table (0820), so the change runs as the owner once the caller is known to be the host operator; the
// change and its trail (roadmap_programme_changes) are written in one transaction.
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../../../core/db/database.ts';
import { forbidden, notFound, unprocessable } from '../../../../core/base/errors.ts';
import { actorOf } from '../../../../core/base/context.ts';
import type { Translate } from '../../../../core/i18n/i18n.ts';
import { slugify } from '../../../../core/territory/cog.ts';
import { PROGRAMME_FIELDS, readProgrammeInput, type ProgrammeInput } from '../programme-input.ts';
import { findProgramme, insertProgramme, programmeSlugTaken, recordProgrammeChange, updateProgrammeFields } from '../programmes.repository.ts';

export interface HostPrincipal {
  actor: string;
  isHostOperator: boolean;
  t: Translate;
}

/** Who asks: a signed-in host operator, or an API token issued to one (a token's role is never enough). */
export async function hostPrincipalOf(db: Database, request: FastifyRequest): Promise<HostPrincipal> {
  const ctx = request.ctx;
  let isHostOperator = ctx.person?.is_host_operator ?? false;
  if (ctx.api) {
    const personId = ctx.api.personId;
    isHostOperator = personId
      ? ((await db.transaction(null, (tx) => tx.one<{ h: boolean }>('select is_host_operator as h from people where id = $1', [personId])))?.h ?? false)
      : false;
  }
  return { actor: actorOf(ctx), isHostOperator, t: ctx.t };
}

export async function createProgramme(db: Database, p: HostPrincipal, input: ProgrammeInput): Promise<{ id: string; slug: string }> {
  if (!p.isHostOperator) throw forbidden(p.t('roadmap.funding.error.host_only'));
  const read = readProgrammeInput(input, p.t);
  if (!read.ok) throw unprocessable(read.errors);
  return db.ownerTransaction(async (tx) => {
    const base = slugify(read.fields.name).slice(0, 70).replace(/-+$/, '') || 'programme';
    let slug = base;
    for (let n = 2; await programmeSlugTaken(tx, slug); n++) slug = `${base}-${n}`;
    const id = await insertProgramme(tx, slug, read.fields);
    await recordProgrammeChange(tx, id, p.actor, 'create', { slug, name: read.fields.name, funder: read.fields.funder });
    return { id, slug };
  });
}

export async function updateProgramme(db: Database, p: HostPrincipal, slug: string, input: ProgrammeInput): Promise<void> {
  if (!p.isHostOperator) throw forbidden(p.t('roadmap.funding.error.host_only'));
  const read = readProgrammeInput(input, p.t);
  if (!read.ok) throw unprocessable(read.errors);
  await db.ownerTransaction(async (tx) => {
    const before = await findProgramme(tx, slug);
    if (!before) throw notFound();
    await updateProgrammeFields(tx, before.id, read.fields);
    // The trail keeps what each changed field was and became: programme facts, nothing personal.
    const changed = PROGRAMME_FIELDS.filter((k) => JSON.stringify(read.fields[k]) !== JSON.stringify(before[k]));
    await recordProgrammeChange(tx, before.id, p.actor, 'update', {
      changed,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, read.fields[k]])),
    });
  });
}
