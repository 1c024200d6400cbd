// A mediator (a France Services adviser, a social worker) files for someone, recording their consent.
import type { TestContext } from 'node:test';
import type { Tour } from '../helpers/tour.ts';
import { signIn } from '../helpers/people.ts';
import { fillForm } from '../helpers/fill.ts';
import { submitForm } from './citizen.ts';
import { PROCEDURE_FORM, TENANT, state } from './state.ts';

export async function mediatorFiles(tour: Tour, t: TestContext): Promise<void> {
  if (!state.procedureSlug) return tour.skip(t, 'mediated filing', 'no published procedure to file');
  const path = `/${TENANT}/demarches/${state.procedureSlug}/accompagnement`;
  if (!(await tour.routeExists(path))) return tour.skip(t, 'mediated filing', `${path} does not exist yet (404)`);
  const v = await tour.visitor();
  try {
    await signIn(tour, v, 'mediator', { tenant: TENANT, next: path, landing: 'mediated filing form' });
    if (!(await v.page.locator('input[name="_consent_name"]').count())) throw new Error("the mediated form does not ask for the person's consent");
    await fillForm(v.page, PROCEDURE_FORM, { _consent_name: 'Jeanne Dupont', _email: '' });
    await submitForm(tour, v, 'receipt (mediated filing)', 'staff');
  } finally {
    await v.context.close();
  }
}
