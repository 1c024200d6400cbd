// One whole path with the keyboard only (Tab, Enter, Space, typing; no click): skip link, a collectivité,
// sign in as the demo citizen, find a procedure, fill and submit it, read the receipt, sign out.
import type { TestContext } from 'node:test';
import type { Tour } from '../helpers/tour.ts';
import { byHref, byName, byText, focused, tabTo } from '../helpers/keyboard.ts';
import { keyboardFill } from '../helpers/fill.ts';
import { DEMO_PASSWORD } from '../../../src/core/seed/demo.ts';
import { demoEmail } from '../helpers/people.ts';
import { PROCEDURE_FORM, SUBMIT_BUTTON, TENANT, state } from './state.ts';

export async function keyboardTour(tour: Tour, t: TestContext): Promise<void> {
  const v = await tour.visitor();
  const { page } = v;
  const enter = () => page.keyboard.press('Enter');
  try {
    await tour.open(v, { name: 'home', kind: 'citizen' }, '/');
    await page.keyboard.press('Tab');
    const first = await focused(page);
    if (!/aller au contenu/i.test(first.text)) throw new Error(`the first Tab should reach the skip link, it reached ${first.tag} "${first.text}"`);
    await enter();
    const inMain = await page.evaluate(() => document.activeElement?.id === 'main' || Boolean(document.activeElement?.closest('main')));
    if (!inMain) throw new Error('the skip link does not move the focus to the main content');

    await tabTo(page, 'the link to Nantes Métropole', byHref(new RegExp(`^/${TENANT}/$`)));
    await tour.visit(v, { name: 'tenant home', kind: 'citizen' }, enter);
    await tabTo(page, 'the sign-in link', byText(/se connecter/i));
    await tour.visit(v, { name: 'sign-in', kind: 'citizen' }, enter);
    await tabTo(page, 'the email field', byName('email'));
    await page.keyboard.type(demoEmail('citizen'));
    await tabTo(page, 'the password field', byName('password'), 3);
    await page.keyboard.type(DEMO_PASSWORD);
    await tabTo(page, 'the sign-in button', (f) => f.tag === 'button' && /se connecter/i.test(f.text), 5);
    await tour.visit(v, { name: 'tenant home', kind: 'citizen', recheckWithoutJs: false }, enter);
    if (page.url().includes('/auth/')) throw new Error(`keyboard sign-in did not succeed (${page.url()})`);

    if (!(await tour.routeExists(`/${TENANT}/demarches`))) {
      await tour.skip(t, 'keyboard: filing a procedure', `/${TENANT}/demarches does not exist yet (404)`);
    } else {
      if (await page.locator(`main a[href="/${TENANT}/demarches"]`).count()) {
        await tabTo(page, 'the link to the procedures', byHref(new RegExp(`^/${TENANT}/demarches$`)));
        await tour.visit(v, { name: 'procedures list', kind: 'citizen' }, enter);
      } else {
        t.diagnostic(`the home of ${TENANT} has no link to its procedures: address typed instead`);
        await tour.open(v, { name: 'procedures list', kind: 'citizen' }, `/${TENANT}/demarches`);
      }
      if (!(await page.locator(`main a[href^="/${TENANT}/demarches/"]`).count())) {
        await tour.skip(t, 'keyboard: filing a procedure', `no published procedure listed on /${TENANT}/demarches`);
        await tabTo(page, 'the sign-out button', (f) => f.tag === 'button' && /déconnecter/i.test(f.text));
        await tour.visit(v, { name: 'home', kind: 'citizen' }, enter);
        return;
      }
      const wanted = state.procedureSlug ? new RegExp(`^/${TENANT}/demarches/${state.procedureSlug}$`) : new RegExp(`^/${TENANT}/demarches/[^/]+$`);
      await tabTo(page, 'a procedure', byHref(wanted));
      await tour.visit(v, { name: 'procedure form', kind: 'citizen' }, enter);
      const filled = await keyboardFill(page, PROCEDURE_FORM, SUBMIT_BUTTON);
      t.diagnostic(`keyboard filled ${filled.length} controls: ${filled.join(', ')}`);
      await tour.visit(v, { name: 'receipt', kind: 'citizen' }, enter);
      if (!/accusé de réception/i.test((await page.locator('main h1').textContent()) ?? '')) {
        throw new Error(
          `keyboard filing did not reach the receipt: ${
            (await page
              .locator('.error-summary')
              .textContent()
              .catch(() => null)) ?? page.url()
          }`,
        );
      }
      // Back home through the header, then the citizen's own dossiers.
      await tabTo(page, "the link to the collectivité's home", byHref(new RegExp(`^/${TENANT}/$`)));
      await tour.visit(v, { name: 'tenant home', kind: 'citizen' }, enter);
      await tabTo(page, 'the link to my dossiers', byHref(new RegExp(`^/${TENANT}/mes-dossiers$`)));
      await tour.visit(v, { name: 'my dossiers', kind: 'citizen', screenshot: 'my-dossiers' }, enter);
      if (!(await page.locator(`main a[href^="/${TENANT}/dossiers/"]`).count())) throw new Error('"my dossiers" does not list the dossier just filed');
    }
    await tabTo(page, 'the account link', byHref(/^\/account$/));
    await tour.visit(v, { name: 'account', kind: 'citizen' }, enter);
    await tabTo(page, 'the sign-out button', (f) => f.tag === 'button' && /déconnecter/i.test(f.text));
    await tour.visit(v, { name: 'home', kind: 'citizen' }, enter);
  } finally {
    await v.context.close();
  }
}
