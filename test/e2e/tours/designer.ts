// A procedure administrator creates a procedure in the designer (fields of several kinds, one a file),
// previews it and publishes it: the citizen tour then files this very procedure.
import type { TestContext } from 'node:test';
import type { Tour, Visitor } from '../helpers/tour.ts';
import { signIn } from '../helpers/people.ts';
import { TENANT, state } from './state.ts';

const DESIGNER = `/${TENANT}/admin/demarches`;

const FIELDS: Array<{ label: string; type: string; required?: boolean; options?: string }> = [
  { label: 'Nom et prénom', type: 'text', required: true },
  { label: 'Adresse du logement', type: 'address', required: true },
  { label: 'Nombre de personnes au foyer', type: 'integer' },
  { label: 'Type de logement', type: 'choice', required: true, options: 'Maison\nAppartement' },
  { label: 'Justificatif de domicile', type: 'file', required: true },
  { label: 'J’accepte d’être contacté par le service déchets', type: 'checkbox' },
];

async function addField(tour: Tour, v: Visitor, f: (typeof FIELDS)[number], measure: boolean): Promise<void> {
  const add = v.page.locator('main form[action$="/champs"]');
  await add.locator('#field-label').fill(f.label);
  await add.locator('#field-type').selectOption(f.type);
  const submitAdd = () => add.locator('button[type="submit"]').click();
  if (measure) await tour.visit(v, { name: 'designer: field', kind: 'staff' }, submitAdd);
  else await tour.go(v, submitAdd);
  const edit = v.page.locator('main form[action$="/modifier"]');
  if (f.required) await edit.locator('#field-required').check();
  if (f.options) await edit.locator('#field-options').fill(f.options);
  const save = () => edit.locator('button[type="submit"]').last().click();
  if (measure) await tour.visit(v, { name: 'designer: procedure', kind: 'staff' }, save);
  else await tour.go(v, save);
}

export async function designerPublishes(tour: Tour, t: TestContext): Promise<void> {
  if (!(await tour.routeExists(DESIGNER))) return tour.skip(t, 'designer', `${DESIGNER} does not exist yet (404)`);
  const v = await tour.visitor();
  try {
    await signIn(tour, v, 'procedure_admin', { tenant: TENANT, next: DESIGNER, landing: 'designer: procedures', screenshot: 'designer' });
    const title = 'Demande de composteur individuel';
    await v.page.locator('main form[action$="/admin/demarches"] #field-title').fill(title);
    await tour.visit(v, { name: 'designer: procedure', kind: 'staff', screenshot: 'designer-procedure' }, () =>
      v.page.locator('main form[action$="/admin/demarches"] button[type="submit"]').click(),
    );
    await v.page.locator('#field-description').fill('Recevez un composteur pour votre jardin. Le service déchets vous contacte sous quinze jours.');
    await tour.go(v, () => v.page.locator('main form[action$="/general"] button[type="submit"]').click());
    for (const [i, f] of FIELDS.entries()) await addField(tour, v, f, i === 0);
    const rows = await v.page.locator('main table tbody tr').count();
    if (rows !== FIELDS.length) throw new Error(`the designer lists ${rows} fields, ${FIELDS.length} were added`);

    await tour.visit(v, { name: 'designer: preview', kind: 'staff' }, () => v.page.locator('main a[href$="/apercu"]').click());
    await tour.go(v, () => v.page.goBack());
    for (const [name, suffix] of [
      ['designer: groups and routing', '/groupes'],
      ['designer: operations', '/operations'],
    ] as const) {
      const link = v.page.locator(`main a[href$="${suffix}"]`);
      const href = (await link.count()) ? await link.first().getAttribute('href') : null;
      if (!href || !(await tour.routeExists(href))) {
        await tour.skip(t, name, href ? `its link (${suffix}) leads to a 404: the page does not exist yet` : `the procedure page has no link to ${suffix}`);
        continue;
      }
      await tour.visit(v, { name, kind: 'staff' }, () => link.first().click());
      await tour.go(v, () => v.page.goBack());
    }
    await tour.visit(v, { name: 'designer: procedure (published)', kind: 'staff' }, () =>
      v.page.locator('main form[action$="/publier"] button[type="submit"]').click(),
    );
    if (!(await v.page.locator('main .notice').count())) throw new Error('publishing shows no confirmation');
    state.procedureTitle = title;
  } finally {
    await v.context.close();
  }
}
