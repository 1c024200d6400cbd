// Copying a kit into a new debate in one step: the kit's phases dated from a start day, its documents,
// FAQ, questions, meetings (dated too, place to be filled) and dataset slots; the debate remembers the
// kit and version it came from (debates.origin and debate_kit_uses), so the kit's page lists its users.
// One transaction with the debate's creation (H4's createDebateIn) and a journal entry.
import type { Database } from '../../../../core/db/database.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../../core/base/errors.ts';
import { requireModerator, type Principal } from '../../debates.policy.ts';
import { createDebateIn } from '../../actions/create-debate.ts';
import { isDay } from '../../phases.ts';
import { addDays, checkKit, schedulePhases, type Kit } from '../kit-format.ts';
import { PRODUCT_KITS } from '../product-kits.ts';
import { insertKitContents, kitVersions, recordKitUse, visibleKit } from '../kits.repository.ts';
import { insertMeeting } from '../meetings.repository.ts';
import { localToInstant } from '../local-time.ts';

export type KitSource = { product: string } | { ownerSlug: string; slug: string; version?: number };

export interface CopyOptions {
  startsOn: string;
  title?: string;
  slug?: string;
}

export async function copyKitIntoDebate(db: Database, p: Principal, source: KitSource, options: CopyOptions) {
  requireModerator(p);
  if (!isDay(options.startsOn)) throw unprocessable({ starts_on: [p.t('debates.error.day')] });
  return db.transaction(p.tenantId, async (tx) => {
    let kit: Kit;
    let version: number;
    let use: { product: string } | { owner: string; kitId: string };
    if ('product' in source) {
      const product = PRODUCT_KITS.find((k) => k.slug === source.product);
      if (!product) throw notFound();
      kit = product.kit;
      version = 1;
      use = { product: product.slug };
    } else {
      // Only a kit this collectivité may see: its own, its host's shared library, its networks'.
      const found = await visibleKit(tx, source.ownerSlug, source.slug);
      if (!found) throw notFound();
      const versions = await kitVersions(tx, found.owner_tenant, found.id);
      const chosen = source.version ? versions.find((v) => v.version === source.version) : versions[0];
      if (!chosen) throw notFound();
      // Checked again: a stored version is trusted no more than a file.
      const result = checkKit(chosen.document, p.t);
      if (!result.ok) throw unprocessable({ kit: result.errors });
      kit = result.kit;
      version = chosen.version;
      use = { owner: found.owner_tenant, kitId: found.id };
    }
    const plan = schedulePhases(kit, options.startsOn);
    const origin = 'product' in use ? { product: use.product, version } : { kit: { owner: use.owner, id: use.kitId, version } };
    const created = await createDebateIn(
      tx,
      p.actor,
      p.t,
      {
        title: options.title?.trim() || kit.title,
        ...(options.slug ? { slug: options.slug } : {}),
        presentation: kit.presentation,
        charter: kit.charter,
        status: 'draft',
        moderation: 'post',
        phases: plan.map((ph) => ({ kind: ph.kind, title: ph.title, summary: ph.summary, starts_on: ph.startsOn, ends_on: ph.endsOn })),
      },
      origin,
    );
    await insertKitContents(tx, created.debate.id, kit);
    for (const m of kit.meetings) {
      const startsAt = localToInstant(addDays(options.startsOn, m.day), m.startTime);
      await insertMeeting(tx, created.debate.id, {
        title: m.title,
        format: m.format,
        description: m.description,
        place: '',
        online_url: null,
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + m.durationMinutes * 60_000),
        capacity: m.capacity ?? null,
      });
    }
    await recordKitUse(tx, created.debate.id, use, version);
    await journal(tx, { actor: p.actor, action: 'debates.kit.copy', subjectType: 'debate', subjectId: created.debate.id, data: origin });
    return created;
  });
}
