// A citizen finds a procedure from the collectivité's home, files it as a guest (once with JavaScript
// disabled, once enabled, with a file), gets the receipt, opens the tracking page; later answers the agent.
import type { TestContext } from 'node:test';
import type { Tour, Visitor } from '../helpers/tour.ts';
import { fillForm, fixturePdf } from '../helpers/fill.ts';
import { PROCEDURE_FORM, SUBMIT_BUTTON, TENANT, state } from './state.ts';

/** From the collectivité's home to a procedure's form; false (with a skipped step) when none exists yet. */
export async function openProcedure(
  tour: Tour,
  t: TestContext,
  v: Visitor,
  o: { path?: string; kind?: 'citizen' | 'staff'; formName?: string } = {},
): Promise<boolean> {
  if (!(await tour.routeExists(`/${TENANT}/demarches`))) {
    await tour.skip(t, 'procedures list and form', `/${TENANT}/demarches does not exist yet (404)`);
    return false;
  }
  await tour.open(v, { name: 'tenant home', kind: 'citizen' }, `/${TENANT}/`);
  const toList = v.page.locator(`main a[href="/${TENANT}/demarches"]`).first();
  if (await toList.count())
    await tour.visit(v, { name: 'procedures list', kind: 'citizen', screenshot: v.js ? 'procedures' : undefined }, () => toList.click());
  else {
    t.diagnostic(`the home of ${TENANT} has no link to /${TENANT}/demarches: opened directly`);
    await tour.open(v, { name: 'procedures list', kind: 'citizen' }, `/${TENANT}/demarches`);
  }
  const all = v.page.locator(`main a[href^="/${TENANT}/demarches/"]`);
  const links = state.procedureTitle ? all.filter({ hasText: state.procedureTitle }) : all;
  if (!(await links.count())) {
    await tour.skip(t, 'procedure form', `no published procedure listed on /${TENANT}/demarches`);
    return false;
  }
  const href = (await links.first().getAttribute('href'))!;
  state.procedureSlug ??= href.split('/').pop();
  state.procedureTitle ??= (await links.first().textContent())?.trim();
  if (o.path) await tour.open(v, { name: o.formName ?? 'procedure form', kind: o.kind ?? 'citizen' }, `${href}${o.path}`);
  else
    await tour.visit(v, { name: o.formName ?? 'procedure form', kind: o.kind ?? 'citizen', screenshot: v.js ? 'procedure-form' : undefined }, () =>
      links.first().click(),
    );
  return true;
}

/** Submits the filled form; on a 422 the error summary is the failure message. */
export async function submitForm(tour: Tour, v: Visitor, name: string, kind: 'citizen' | 'staff', screenshot?: string): Promise<void> {
  try {
    await tour.visit(v, { name, kind, screenshot, recheckWithoutJs: true }, () => v.page.locator(SUBMIT_BUTTON).click());
  } catch (error) {
    const summary = await v.page
      .locator('.error-summary')
      .textContent()
      .catch(() => null);
    throw summary ? new Error(`${(error as Error).message}\nthe form said: ${summary.replace(/\s+/g, ' ')}`) : error;
  }
}

export async function citizenFiles(tour: Tour, t: TestContext, js: boolean): Promise<void> {
  const v = await tour.visitor({ js });
  try {
    if (!(await openProcedure(tour, t, v))) return;
    if (!js) {
      // Sent empty: the same page comes back with an error summary linking to each field.
      await tour.visit(v, { name: 'procedure form (errors)', kind: 'citizen', status: 422, recheckWithoutJs: false }, () =>
        v.page.locator(SUBMIT_BUTTON).click(),
      );
      if (!(await v.page.locator('.error-summary a[href^="#"]').count()))
        throw new Error('an empty submission shows no error summary with links to the fields');
    }
    const filled = await fillForm(v.page, PROCEDURE_FORM);
    t.diagnostic(`filled ${filled.length} controls: ${filled.join(', ')}`);
    await submitForm(tour, v, 'receipt', 'citizen', js ? 'receipt' : undefined);
    // The "follow my dossier" button (the receipt also links to the attached files, which are downloads).
    const track = v.page.locator(`main a.button[href*="/${TENANT}/dossiers/"]`).first();
    if (!(await track.count())) throw new Error('the receipt has no link to the tracking page');
    await tour.visit(v, { name: 'tracking page', kind: 'citizen', screenshot: js ? 'tracking' : undefined }, () => track.click());
    if (js) {
      const url = new URL(v.page.url());
      state.trackingPath = url.pathname + url.search;
      state.dossierNumber = Number(/\/dossiers\/(\d+)/.exec(url.pathname)![1]);
      await everyOtherForm(tour, v);
    }
  } finally {
    await v.context.close();
  }
}

/** The guest comes back with the private link, reads the agent's message and answers with a file. */
export async function citizenAnswers(tour: Tour, t: TestContext): Promise<void> {
  if (!state.trackingPath || !state.agentMessage) {
    await tour.skip(t, 'citizen answers a message', state.trackingPath ? 'the agent could not send a message' : 'no dossier was filed');
    return;
  }
  const v = await tour.visitor();
  try {
    await tour.open(v, { name: 'tracking page', kind: 'citizen' }, state.trackingPath);
    const messages = (await v.page.locator('main').textContent()) ?? '';
    if (!messages.includes(state.agentMessage)) throw new Error(`the tracking page does not show the agent's message "${state.agentMessage}"`);
    state.citizenReply = 'Voici le justificatif demandé.';
    await v.page.locator('#field-body').fill(state.citizenReply);
    await v.page.locator('#field-attachment').setInputFiles(fixturePdf());
    await tour.visit(v, { name: 'tracking page (reply sent)', kind: 'citizen' }, () =>
      v.page.locator('main form:has(#field-body) button[type="submit"]').click(),
    );
    if (!((await v.page.locator('main').textContent()) ?? '').includes(state.citizenReply)) throw new Error('the reply does not appear on the tracking page');
  } finally {
    await v.context.close();
  }
}

/** The other published procedures' forms (the demo ones: repeated blocks, dates, images…), measured too. */
async function everyOtherForm(tour: Tour, v: Visitor): Promise<void> {
  await tour.go(v, () => v.page.goto(tour.url(`/${TENANT}/demarches`)));
  const links = await v.page
    .locator(`main a[href^="/${TENANT}/demarches/"]`)
    .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href')!, title: (a.textContent ?? '').trim() })));
  for (const { href, title } of links) {
    if (title === state.procedureTitle) continue;
    await tour.open(v, { name: `procedure form: ${title}`, kind: 'citizen' }, href);
  }
}
