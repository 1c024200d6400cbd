// The optional conditions script in a real Chromium: conditional fields hide and show as answers change,
// nested all/any conditions, a hidden field counting as empty for the others, and conditions inside a
// repeated block reading their own block. Without the script the same fields show with a hint (unit tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, createTestTenant } from '../helpers/app.ts';
import { publish } from '../support/procedures/web.ts';
import { launchChromium } from './helpers/browser.ts';
test("conditions.js mirrors the server's conditions live", { timeout: 300_000 }, async () => {
  const t = await startTestApp();
  const tenant = await createTestTenant(t.db);
  const proc = await publish(t.db, tenant.id, {
    title: 'X',
    fields: [
      { key: 'demandeur', label: 'Vous êtes', type: 'choice', options: ['Particulier', 'Association'] },
      { key: 'siret', label: 'SIRET', type: 'siret', visibleIf: { field: 'demandeur', op: 'equals', value: 'Association' } },
      { key: 'nb', label: 'Nombre', type: 'integer' },
      {
        key: 'gros',
        label: 'Gros',
        type: 'text',
        visibleIf: {
          all: [
            { field: 'nb', op: 'gt', value: 10 },
            { field: 'siret', op: 'filled' },
          ],
        },
      },
      {
        key: 'materiel',
        label: 'Matériel',
        type: 'repetition',
        fields: [
          { key: 'objet', label: 'Objet', type: 'text' },
          { key: 'detail', label: 'Détail', type: 'text', visibleIf: { field: 'objet', op: 'equals', value: 'Autre' } },
        ],
      },
    ],
  });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchChromium();
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${address}/${tenant.slug}/demarches/${proc.slug}`);
  const visible = (sel: string) => page.locator(sel).isVisible();
  assert.equal(await visible('#field-siret'), false);
  await page.check('#field-demandeur-1');
  assert.equal(await visible('#field-siret'), true);
  await page.fill('#field-nb', '12');
  assert.equal(await visible('#field-gros'), false);
  await page.fill('#field-siret', '123');
  assert.equal(await visible('#field-gros'), true);
  await page.check('#field-demandeur-0');
  assert.equal(await visible('#field-siret'), false);
  assert.equal(await visible('#field-gros'), false, 'a hidden field counts as empty for the others');
  assert.equal(await visible('#field-materiel-0-detail'), false);
  await page.fill('#field-materiel-0-objet', 'Autre');
  assert.equal(await visible('#field-materiel-0-detail'), true);
  assert.deepEqual(errors, []);
  await browser.close();
  await t.close();
});
