// GET /api/v1/<slug>/export (issue 14): a collectivité's administrator asks for its archive. The request
// records the export and queues the job in one transaction with its journal entry (202, the export's id
// and where to follow it); the job writes the archive (export.ts), stores it in the blob store under the
// collectivité's key and marks the export done; GET …/export/<id> says where it stands, and
// GET …/export/<id>/file downloads it until it expires (a day: the sweep then removes the bytes, which have
// no `blobs` row). Another collectivité's token never reaches these rows (404, row-level security).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { isUuid, uuidv7 } from '../db/ids.ts';
import { journal } from '../audit/journal.ts';
import { enqueue } from '../jobs/queue.ts';
import type { Job } from '../jobs/runner.ts';
import { blobStoreFor, type FilesConfig } from '../files/store.ts';
import { sendAttachment } from '../files/send.ts';
import { actorOf } from '../base/context.ts';
import { forbidden, notFound } from '../base/errors.ts';
import { grants } from '../base/roles.ts';
import { exportTenant } from './export.ts';

export const TENANT_EXPORT_JOB = 'core.tenant.export';
const VALID_HOURS = 24;

interface ExportRow {
  id: string;
  state: string;
  sha256: string | null;
  size: number | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
}

function adminOnly(request: FastifyRequest): { tenantId: string; slug: string } {
  const tenant = request.ctx.tenant;
  if (!tenant) throw notFound();
  if (!grants(request.ctx.roles, 'tenant_admin')) throw forbidden();
  return { tenantId: tenant.id, slug: tenant.slug };
}

function view(slug: string, row: ExportRow) {
  const expired = row.expires_at !== null && row.expires_at.getTime() <= Date.now();
  return {
    id: row.id,
    state: expired ? 'expired' : row.state,
    created_at: row.created_at,
    finished_at: row.finished_at,
    expires_at: row.expires_at,
    size: row.size,
    sha256: row.sha256,
    error: row.error,
    status_url: `/api/v1/${slug}/export/${row.id}`,
    download_url: row.state === 'done' && !expired ? `/api/v1/${slug}/export/${row.id}/file` : null,
  };
}

export function registerExportApi(app: FastifyInstance, deps: { db: Database; config: FilesConfig }): void {
  const { db } = deps;
  const find = (tenantId: string, id: string) =>
    isUuid(id)
      ? db.transaction(tenantId, (tx) =>
          tx.one<ExportRow>('select id, state, sha256, size, error, created_at, finished_at, expires_at from tenant_exports where id = $1', [id]),
        )
      : Promise.resolve(null);

  app.get('/api/v1/:tenant/export', async (request, reply) => {
    const { tenantId, slug } = adminOnly(request);
    const actor = actorOf(request.ctx);
    const row = await db.transaction(tenantId, async (tx) => {
      const id = uuidv7();
      const created = await tx.one<ExportRow>(
        `insert into tenant_exports (tenant_id, id, requested_by) values (app_tenant(), $1, $2)
         returning id, state, sha256, size, error, created_at, finished_at, expires_at`,
        [id, actor],
      );
      await enqueue(tx, TENANT_EXPORT_JOB, { exportId: id }, { maxAttempts: 3 });
      await journal(tx, { actor, action: 'core.tenant.export', subjectType: 'tenant_export', subjectId: id, data: {} });
      return created!;
    });
    return reply.code(202).send(view(slug, row));
  });

  app.get<{ Params: { id: string } }>('/api/v1/:tenant/export/:id', async (request) => {
    const { tenantId, slug } = adminOnly(request);
    const row = await find(tenantId, request.params.id);
    if (!row) throw notFound();
    return view(slug, row);
  });

  app.get<{ Params: { id: string } }>('/api/v1/:tenant/export/:id/file', async (request, reply) => {
    const { tenantId, slug } = adminOnly(request);
    const row = await find(tenantId, request.params.id);
    if (!row || row.state !== 'done' || !row.sha256 || (row.expires_at && row.expires_at.getTime() <= Date.now())) throw notFound();
    return sendAttachment(reply, deps, tenantId, { sha256: row.sha256, content_type: 'application/zip' }, `${slug}-export.zip`);
  });
}

/** The job: writes the archive to a temporary file, stores it under the collectivité's key, marks the export done. */
export function exportJobHandler(deps: { config: FilesConfig }) {
  return async (job: Job, db: Database): Promise<void> => {
    const tenantId = job.tenant_id;
    const exportId = String(job.payload.exportId);
    if (!tenantId || !isUuid(exportId)) return;
    const tenant = await db.ownerTransaction((tx) => tx.one<{ slug: string }>('select slug from tenants where id = $1', [tenantId]));
    if (!tenant) return;
    const store = blobStoreFor(deps.config);
    const temp = await store.tempPath();
    try {
      await exportTenant(db, store, tenant.slug, temp);
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(temp)) hash.update(chunk as Buffer);
      const sha256 = hash.digest('hex');
      const size = (await stat(temp)).size;
      await store.adopt(tenantId, sha256, temp);
      await db.ownerTransaction((tx) =>
        tx.query(
          `update tenant_exports set state = 'done', sha256 = $3, size = $4, finished_at = now(), expires_at = now() + interval '${VALID_HOURS} hours'
            where tenant_id = $1 and id = $2`,
          [tenantId, exportId, sha256, size],
        ),
      );
    } catch (error) {
      await db.ownerTransaction((tx) =>
        tx.query(`update tenant_exports set state = 'failed', error = $3, finished_at = now() where tenant_id = $1 and id = $2`, [
          tenantId,
          exportId,
          String((error as Error).message).slice(0, 500),
        ]),
      );
    } finally {
      await rm(temp, { force: true });
    }
  };
}
