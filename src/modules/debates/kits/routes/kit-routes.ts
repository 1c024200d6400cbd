// The kit library (staff pages under /{tenant}/admin/concertations/kits) and its API
// (/api/v1/{tenant}/debates/kits): list the kits this collectivité may use, a kit with its versions and
// users, import a kit file (refused with its reasons when it is not a kit), share, copy into a debate.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { typed } from '../../../../core/http/typebox.ts';
import { requireTenant } from '../../../../core/base/context.ts';
import { requireRoles } from '../../../../core/auth/require.ts';
import { notFound } from '../../../../core/base/errors.ts';
import type { AppDeps } from '../../../../core/module.ts';
import { clientAddressKey } from '../../../../core/base/rate-limit.ts';
import { principalOf, type Principal } from '../../debates.policy.ts';
import { addDays } from '../kit-format.ts';
import { today } from '../../phases.ts';
import { PRODUCT_KITS } from '../product-kits.ts';
import { kitUsers, kitVersions, networksOf, visibleKit, visibleKits, type KitSharing } from '../kits.repository.ts';
import { copyKitIntoDebate, type KitSource } from '../actions/copy-kit.ts';
import { importKit, shareKit } from '../actions/kit-library.ts';
import { kitPageBody, libraryBody, type LibraryEntry } from '../views/kits.ts';
import { notice, sendPage, seeOther } from '../../views/common.ts';

/** The product's own kits are listed under this owner segment. */
export const PRODUCT_OWNER = 'bastide';

const KitPath = Type.Object({ tenant: Type.String(), owner: Type.String({ maxLength: 63 }), kit: Type.String({ maxLength: 80 }) });
const CopyForm = Type.Object(
  {
    starts_on: Type.Optional(Type.String({ maxLength: 20 })),
    title: Type.Optional(Type.String({ maxLength: 1000 })),
    version: Type.Optional(Type.String({ maxLength: 6 })),
  },
  { additionalProperties: true },
);
const ShareForm = Type.Object(
  {
    sharing: Type.Optional(Type.String({ maxLength: 20 })),
    network: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })])),
  },
  { additionalProperties: true },
);
const ImportForm = Type.Object({ kit: Type.Optional(Type.String({ maxLength: 600_000 })) }, { additionalProperties: true });
const Query = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: true });
const ApiCopy = Type.Object(
  { starts_on: Type.String({ maxLength: 10 }), title: Type.Optional(Type.String({ maxLength: 200 })), version: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

function sourceOf(owner: string, kit: string, version?: number): KitSource {
  return owner === PRODUCT_OWNER ? { product: kit } : { ownerSlug: owner, slug: kit, ...(version ? { version } : {}) };
}

export function registerKitRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps;
  const web = typed(app);
  const staff = (request: FastifyRequest): Principal => {
    requireRoles(request, 'moderator');
    return principalOf(request.ctx, clientAddressKey(request.ip));
  };
  const libraryUrl = (tenant: string) => `/${tenant}/admin/concertations/kits`;

  web.get('/:tenant/admin/concertations/kits', { schema: { hide: true, querystring: Query } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staff(request);
    const kits = await db.transaction(p.tenantId, visibleKits);
    const base = libraryUrl(tenant.slug);
    const entries: LibraryEntry[] = [
      ...kits.map((k) => ({
        href: `${base}/${k.owner_slug}/${k.slug}`,
        title: k.title,
        summary: k.summary,
        owner: k.owner_name,
        version: k.latest_version,
        sharing: k.sharing,
      })),
      ...PRODUCT_KITS.map((k) => ({
        href: `${base}/${PRODUCT_OWNER}/${k.slug}`,
        title: k.kit.title,
        summary: k.kit.summary,
        owner: 'Bastide',
        version: 1,
        sharing: 'product',
      })),
    ];
    return sendPage(reply, request.ctx, {
      title: request.ctx.t('debates.kits.library.title'),
      path: request.url,
      body: libraryBody(request.ctx, base, entries, notice(request.ctx, request.query)),
    });
  });

  web.get('/:tenant/admin/concertations/kits/:owner/:kit', { schema: { hide: true, params: KitPath, querystring: Query } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staff(request);
    const { owner, kit: slug } = request.params;
    const base = `${libraryUrl(tenant.slug)}/${owner}/${slug}`;
    const data = await db.transaction(p.tenantId, async (tx) => {
      if (owner === PRODUCT_OWNER) {
        const product = PRODUCT_KITS.find((k) => k.slug === slug);
        if (!product) throw notFound();
        return {
          kit: product.kit,
          ownerName: 'Bastide',
          own: false,
          sharing: 'product',
          versions: [{ version: 1, note: '', created_at: new Date(0) }],
          users: await kitUsers(tx, { product: slug }),
          networks: [],
        };
      }
      const found = await visibleKit(tx, owner, slug);
      if (!found) throw notFound();
      const versions = await kitVersions(tx, found.owner_tenant, found.id);
      const own = found.owner_tenant === p.tenantId;
      return {
        kit: versions[0]!.document,
        ownerName: found.owner_name,
        own,
        sharing: found.sharing,
        versions,
        users: await kitUsers(tx, { owner: found.owner_tenant, kitId: found.id }),
        networks: own ? await networksOf(tx) : [],
      };
    });
    return sendPage(reply, request.ctx, {
      title: data.kit.title,
      path: request.url,
      body: kitPageBody(request.ctx, {
        kit: data.kit,
        owner: data.ownerName,
        own: data.own,
        sharing: data.sharing,
        versions: data.versions,
        users: data.users,
        copyAction: `${base}/copier`,
        shareAction: data.own ? `${base}/partager` : null,
        networks: data.networks,
        defaultStart: addDays(today(), 14),
        notice: notice(request.ctx, request.query),
      }),
    });
  });

  web.post('/:tenant/admin/concertations/kits/:owner/:kit/copier', { schema: { hide: true, params: KitPath, body: CopyForm } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staff(request);
    const version = /^\d{1,5}$/.test(request.body.version ?? '') ? Number(request.body.version) : undefined;
    const created = await copyKitIntoDebate(db, p, sourceOf(request.params.owner, request.params.kit, version), {
      startsOn: request.body.starts_on ?? '',
      title: request.body.title,
    });
    return seeOther(reply, `/${tenant.slug}/concertations/${created.debate.slug}`, 'kit_copied');
  });

  web.post('/:tenant/admin/concertations/kits/:owner/:kit/partager', { schema: { hide: true, params: KitPath, body: ShareForm } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staff(request);
    if (request.params.owner !== tenant.slug) throw notFound();
    const sharing = (['private', 'hosted', 'network'] as const).find((s) => s === request.body.sharing) ?? 'private';
    const networks = request.body.network === undefined ? [] : Array.isArray(request.body.network) ? request.body.network : [request.body.network];
    await shareKit(db, p, request.params.kit, sharing as KitSharing, networks);
    return seeOther(reply, `${libraryUrl(tenant.slug)}/${tenant.slug}/${request.params.kit}`, 'kit_shared');
  });

  web.post('/:tenant/admin/concertations/kits/importer', { schema: { hide: true, body: ImportForm } }, async (request, reply) => {
    const tenant = requireTenant(request);
    const p = staff(request);
    const created = await importKit(db, p, request.body.kit ?? '');
    return seeOther(reply, `${libraryUrl(tenant.slug)}/${tenant.slug}/${created.slug}`, 'kit_imported');
  });

  // API: the same, as JSON.
  const apiDoc = (summary: string) => ({ summary, tags: ['debate kits'] });
  web.get(
    '/api/v1/:tenant/debates/kits',
    { schema: { ...apiDoc('Kits de concertation utilisables (les siens, ceux de l’hôte et des réseaux, ceux du produit)'), querystring: Query } },
    async (request) => {
      const p = staff(request);
      const kits = await db.transaction(p.tenantId, visibleKits);
      return {
        kits: [
          ...kits.map((k) => ({ owner: k.owner_slug, slug: k.slug, title: k.title, sharing: k.sharing, latest_version: k.latest_version })),
          ...PRODUCT_KITS.map((k) => ({ owner: PRODUCT_OWNER, slug: k.slug, title: k.kit.title, sharing: 'product', latest_version: 1 })),
        ],
      };
    },
  );
  web.post(
    '/api/v1/:tenant/debates/kits',
    { schema: { ...apiDoc('Importer un kit (document JSON au format bastide-debate-kit) ; refusé avec ses raisons'), body: Type.Unknown() } },
    async (request, reply) => {
      const p = staff(request);
      const created = await importKit(db, p, request.body);
      return reply.code(201).send(created);
    },
  );
  web.post(
    '/api/v1/:tenant/debates/kits/:owner/:kit/copy',
    { schema: { ...apiDoc('Copier un kit dans une nouvelle concertation datée à partir de starts_on'), params: KitPath, body: ApiCopy } },
    async (request, reply) => {
      const p = staff(request);
      const created = await copyKitIntoDebate(db, p, sourceOf(request.params.owner, request.params.kit, request.body.version), {
        startsOn: request.body.starts_on,
        title: request.body.title,
      });
      return reply
        .code(201)
        .send({ slug: created.debate.slug, phases: created.phases.map((ph) => ({ kind: ph.kind, starts_on: ph.starts_on, ends_on: ph.ends_on })) });
    },
  );
}
