// Shortcuts of the catalogue's HTTP tests: a collectivité with a steward, an administrator and a citizen,
// a dataset created through the pages, a multipart upload.
import type { LightMyRequestResponse } from 'fastify';
import { browserFor, createPerson, createTestTenant, postForm, type Browser, type TestApp } from '../../helpers/app.ts';
import type { Tenant } from '../../../src/core/tenancy/tenants.ts';

export interface Catalogue {
  tenant: Tenant;
  steward: Browser;
  admin: Browser;
  citizen: Browser;
  base: string;
}

export async function catalogueTenant(t: TestApp): Promise<Catalogue> {
  const tenant = await createTestTenant(t.db);
  const steward = await createPerson(t.db, { [tenant.id]: ['data_steward'] });
  const admin = await createPerson(t.db, { [tenant.id]: ['tenant_admin'] });
  const citizen = await createPerson(t.db, { [tenant.id]: ['citizen'] });
  return {
    tenant,
    steward: await browserFor(t, steward.id),
    admin: await browserFor(t, admin.id),
    citizen: await browserFor(t, citizen.id),
    base: `/${tenant.slug}/admin/donnees`,
  };
}

/** Creates a dataset through the pages and saves its metadata; gives its id and slug. */
export async function makeDataset(
  t: TestApp,
  c: Catalogue,
  fields: Record<string, string | string[]> = {},
): Promise<{ id: string; slug: string; page: string }> {
  const title = typeof fields.title === 'string' ? fields.title : 'Subventions aux associations';
  const created = await postForm(t, c.steward, c.base, { title });
  if (created.statusCode !== 303) throw new Error(`create: ${created.statusCode} ${created.body.slice(0, 300)}`);
  const page = String(created.headers.location).split('?')[0]!;
  const id = page.split('/').pop()!;
  const saved = await postForm(t, c.steward, page, {
    title,
    description: 'Les subventions versées.',
    keywords: 'subventions, associations',
    licence: 'etalab-2.0',
    schema: 'scdl-subventions',
    ...fields,
  });
  if (saved.statusCode !== 303) throw new Error(`save: ${saved.statusCode} ${saved.body.slice(0, 600)}`);
  const slug = (await t.db.transaction(c.tenant.id, (tx) => tx.one<{ slug: string }>('select slug from catalogue_datasets where id = $1', [id])))!.slug;
  return { id, slug, page };
}

export function multipart(parts: Array<{ name: string; value: string | Buffer; filename?: string; type?: string }>): { payload: Buffer; contentType: string } {
  const boundary = `----bastide${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function uploadFile(
  t: TestApp,
  browser: Browser,
  page: string,
  file: { name: string; body: string | Buffer },
  fields: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipart([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', value: file.body, filename: file.name, type: 'text/csv' },
  ]);
  return t.app.inject({
    method: 'POST',
    url: `${page}/ressources?_csrf=${encodeURIComponent(browser.csrf)}`,
    headers: { ...browser.headers, 'content-type': contentType },
    payload,
  });
}
