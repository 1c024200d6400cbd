// Pages anyone sees without an account: the installation's home, a collectivité's home and its legal
// pages, the English version, sign-in (with its error state), sign-up, password reset, a missing page.
import type { TestContext } from 'node:test';
import type { Tour } from '../helpers/tour.ts';
import { EMAIL_LABEL, PASSWORD_LABEL, SIGN_IN_BUTTON } from '../helpers/people.ts';

import { TENANT } from './state.ts';
export { TENANT };

export async function publicTour(tour: Tour, t: TestContext): Promise<void> {
  const v = await tour.visitor();
  await tour.open(v, { name: 'home', kind: 'citizen', screenshot: 'home' }, '/');
  await tour.visit(v, { name: 'tenant home', kind: 'citizen', screenshot: 'tenant-home' }, () =>
    v.page.getByRole('link', { name: 'Nantes Métropole', exact: true }).click(),
  );
  for (const [name, slug] of [
    ['legal notice', 'mentions-legales'],
    ['privacy notice', 'donnees-personnelles'],
    ['accessibility statement', 'accessibilite'],
  ]) {
    await tour.open(v, { name: name!, kind: 'citizen' }, `/${TENANT}/legal/${slug}`);
  }
  await tour.open(v, { name: 'page not found', kind: 'citizen', status: 404, recheckWithoutJs: false }, `/${TENANT}/no-such-page`);

  const english = await tour.visitor();
  await tour.visit(english, { name: 'tenant home (English)', kind: 'citizen', recheckWithoutJs: false }, () =>
    english.page.goto(tour.url(`/lang/en?back=${encodeURIComponent(`/${TENANT}/`)}`)),
  );
  if (!(await english.page.locator('html[lang=en]').count())) throw new Error('the language switch did not give an English page');
  if (await tour.routeExists(`/${TENANT}/demarches`)) await tour.open(english, { name: 'procedures list (English)', kind: 'citizen' }, `/${TENANT}/demarches`);
  await english.context.close();

  if (!(await tour.routeExists('/auth/sign-in'))) {
    await tour.skip(t, 'sign-in, sign-up and reset pages', '/auth/sign-in does not exist yet (404)');
    await v.context.close();
    return;
  }
  await tour.open(v, { name: 'sign-in', kind: 'citizen', screenshot: 'sign-in' }, `/auth/sign-in?tenant=${TENANT}`);
  await v.page.getByLabel(EMAIL_LABEL).fill('personne@example.org');
  await v.page.getByLabel(PASSWORD_LABEL).fill('not the password');
  await tour.visit(v, { name: 'sign-in (error)', kind: 'citizen', status: 422 }, () => v.page.getByRole('button', { name: SIGN_IN_BUTTON }).click());
  if (!(await v.page.locator('.error-summary').count())) throw new Error('sign-in with a wrong password shows no error summary');
  for (const [name, path] of [
    ['sign-up', `/auth/sign-up?tenant=${TENANT}`],
    ['password reset', '/auth/reset'],
  ]) {
    if (await tour.routeExists(path!)) await tour.open(v, { name: name!, kind: 'citizen' }, path!);
    else await tour.skip(t, name!, `${path} does not exist yet (404)`);
  }
  await v.context.close();
}
