// The kit library: import a kit file (or a kit shipped with the product) into this collectivité's
// library, add a version, share it (the host's library, networks), save a debate as a kit. Each action is
// one transaction with its journal entry; the kit is checked (kit-format.ts) before anything is written.
import type { Database, Tx } from '../../../../core/db/database.ts';
import { journal } from '../../../../core/audit/journal.ts';
import { notFound, unprocessable } from '../../../../core/base/errors.ts';
import { slugify } from '../../../../core/territory/cog.ts';
import { requireModerator, type Principal } from '../../debates.policy.ts';
import { findDebate, phasesOf } from '../../debates.repository.ts';
import { checkKit, KIT_FORMAT, KIT_FORMAT_VERSION, parseKit, type Kit } from '../kit-format.ts';
import { PRODUCT_KITS } from '../product-kits.ts';
import { daysBetween, instantToLocal } from '../local-time.ts';
import { debateContents, insertKit, insertKitVersion, kitSlugTaken, kitUseOf, networksOf, ownKit, setKitSharing, type KitSharing } from '../kits.repository.ts';
import { meetingsOf } from '../meetings.repository.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function checked(p: Principal, input: unknown): Kit {
  const result = typeof input === 'string' || input instanceof Uint8Array ? parseKit(input, p.t) : checkKit(input, p.t);
  if (!result.ok) throw unprocessable({ kit: result.errors });
  return result.kit;
}

async function freeKitSlug(tx: Tx, t: Principal['t'], wanted: string | undefined, title: string): Promise<string> {
  if (wanted) {
    if (!SLUG.test(wanted) || wanted.length > 80) throw unprocessable({ slug: [t('debates.kits.error.slug')] });
    return wanted;
  }
  const base = slugify(title).slice(0, 70) || 'kit';
  let slug = base;
  for (let i = 2; await kitSlugTaken(tx, slug); i++) slug = `${base}-${i}`;
  return slug;
}

async function createKitIn(
  tx: Tx,
  p: Principal,
  kit: Kit,
  options: { slug?: string; sharing?: KitSharing; origin: Record<string, unknown> | null; note?: string },
) {
  const slug = await freeKitSlug(tx, p.t, options.slug, kit.title);
  if (options.slug && (await kitSlugTaken(tx, slug))) throw unprocessable({ slug: [p.t('debates.kits.error.slug_taken')] });
  const id = await insertKit(tx, { slug, title: kit.title, summary: kit.summary, sharing: options.sharing ?? 'private', origin: options.origin });
  await insertKitVersion(tx, id, 1, kit, options.note ?? '', p.actor);
  await journal(tx, { actor: p.actor, action: 'debates.kit.create', subjectType: 'debate_kit', subjectId: id, data: { slug, origin: options.origin } });
  return { id, slug, version: 1 };
}

/** A kit file (bytes, text or parsed JSON) into this collectivité's library, as version 1 of a new kit. */
export async function importKit(db: Database, p: Principal, input: unknown, options: { slug?: string; sharing?: KitSharing } = {}) {
  requireModerator(p);
  const kit = checked(p, input);
  return db.transaction(p.tenantId, (tx) => createKitIn(tx, p, kit, { ...options, origin: null }));
}

/** A kit shipped with the product (the 5G kit) into this collectivité's library. */
export async function adoptProductKit(db: Database, p: Principal, productSlug: string, options: { slug?: string; sharing?: KitSharing } = {}) {
  requireModerator(p);
  const product = PRODUCT_KITS.find((k) => k.slug === productSlug);
  if (!product) throw notFound();
  return db.transaction(p.tenantId, (tx) =>
    createKitIn(tx, p, product.kit, { ...options, slug: options.slug ?? product.slug, origin: { product: product.slug } }),
  );
}

/** A new version of one of this collectivité's kits (another's kit is not found: RLS). */
export async function addKitVersion(db: Database, p: Principal, kitSlug: string, input: unknown, note = '') {
  requireModerator(p);
  const kit = checked(p, input);
  return db.transaction(p.tenantId, async (tx) => {
    const own = await ownKit(tx, kitSlug);
    if (!own) throw notFound();
    const version = own.latest_version + 1;
    await insertKitVersion(tx, own.id, version, kit, note.slice(0, 1000), p.actor);
    await journal(tx, { actor: p.actor, action: 'debates.kit.version', subjectType: 'debate_kit', subjectId: own.id, data: { version } });
    return { id: own.id, slug: own.slug, version };
  });
}

/** Who may read a kit besides its owner: nobody, the collectivités it hosts, or members of its networks. */
export async function shareKit(db: Database, p: Principal, kitSlug: string, sharing: KitSharing, networkIds: string[] = []) {
  requireModerator(p);
  return db.transaction(p.tenantId, async (tx) => {
    const own = await ownKit(tx, kitSlug);
    if (!own) throw notFound();
    const mine = new Set((await networksOf(tx)).map((n) => n.id));
    const networks = sharing === 'network' ? [...new Set(networkIds)] : [];
    if (sharing === 'network' && (!networks.length || networks.some((n) => !mine.has(n)))) {
      throw unprocessable({ networks: [p.t('debates.kits.error.not_a_member')] });
    }
    await setKitSharing(tx, own.id, sharing, networks);
    await journal(tx, { actor: p.actor, action: 'debates.kit.share', subjectType: 'debate_kit', subjectId: own.id, data: { sharing, networks } });
    return { id: own.id, slug: own.slug, sharing };
  });
}

/** The kit of a debate as it stands: phases (durations), references, FAQ, questions, meetings, charter, datasets. */
export async function kitOfDebate(tx: Tx, debateId: string): Promise<Kit | null> {
  const debate = await findDebate(tx, debateId);
  if (!debate) return null;
  const phases = await phasesOf(tx, debate.id);
  if (!phases.length) return null;
  const contents = await debateContents(tx, debate.id);
  const start = phases[0]!.starts_on;
  const total = daysBetween(start, phases.at(-1)!.ends_on) + 1;
  const meetings = (await meetingsOf(tx, debate.id))
    .filter((m) => !m.cancelled)
    .map((m) => {
      const local = instantToLocal(m.starts_at);
      return { m, local, day: daysBetween(start, local.day) };
    })
    .filter(({ day }) => day >= 0 && day < total);
  return {
    format: KIT_FORMAT,
    formatVersion: KIT_FORMAT_VERSION,
    title: debate.title,
    summary: (phases[0]!.summary || debate.title).slice(0, 1000),
    presentation: debate.presentation || debate.title,
    phases: phases.map((ph) => ({
      kind: ph.kind,
      title: ph.title,
      summary: ph.summary || ph.title,
      durationDays: daysBetween(ph.starts_on, ph.ends_on) + 1,
    })),
    documents: contents.documents.flatMap((d) => (d.url ? [{ title: d.title, url: d.url, ...(d.publisher ? { publisher: d.publisher } : {}) }] : [])),
    faq: contents.faq,
    questions: contents.questions,
    meetings: meetings.map(({ m, local, day }) => ({
      title: m.title,
      format: m.format,
      description: m.description || m.title,
      day,
      startTime: local.time,
      durationMinutes: Math.min(720, Math.max(15, Math.round((m.ends_at.getTime() - m.starts_at.getTime()) / 60_000))),
      ...(m.capacity ? { capacity: m.capacity } : {}),
    })),
    charter: debate.charter || '—',
    datasets: contents.datasets.map((d) => ({ key: d.dataset_key, title: d.title, description: d.description || d.title, layout: d.layout })),
  };
}

/**
 * Saves a debate as a kit: a new version of the kit it came from when that kit is this collectivité's own,
 * otherwise a new kit in its library (private until shared).
 */
export async function saveDebateAsKit(db: Database, p: Principal, debateRef: string, options: { slug?: string; note?: string } = {}) {
  requireModerator(p);
  return db.transaction(p.tenantId, async (tx) => {
    const debate = await findDebate(tx, debateRef);
    if (!debate) throw notFound();
    const draft = await kitOfDebate(tx, debate.id);
    if (!draft) throw unprocessable({ phases: [p.t('debates.kits.error.no_phases')] });
    const kit = checked(p, draft);
    const use = await kitUseOf(tx, debate.id);
    const own =
      use?.kit_owner === p.tenantId && use.kit_id
        ? await tx.one<{ slug: string }>('select slug from debate_kits where tenant_id = app_tenant() and id = $1', [use.kit_id])
        : null;
    if (own && !options.slug) {
      const k = (await ownKit(tx, own.slug))!;
      const version = k.latest_version + 1;
      await insertKitVersion(tx, k.id, version, kit, options.note ?? '', p.actor);
      await journal(tx, { actor: p.actor, action: 'debates.kit.version', subjectType: 'debate_kit', subjectId: k.id, data: { version, debate: debate.id } });
      return { id: k.id, slug: k.slug, version };
    }
    const origin = use
      ? use.product_slug
        ? { product: use.product_slug, debate: debate.id }
        : { kit: { owner: use.kit_owner, id: use.kit_id, version: use.version }, debate: debate.id }
      : { debate: debate.id };
    return createKitIn(tx, p, kit, { slug: options.slug, origin, note: options.note });
  });
}
