// An agent signs in, filters the inbox, opens the citizen's dossier, writes to them with a file, takes the
// dossier into instruction; after the citizen's answer, a refusal without motivation is refused and the
// dossier is accepted.
import type { TestContext } from 'node:test';
import type { Tour, Visitor } from '../helpers/tour.ts';
import { signIn } from '../helpers/people.ts';
import { fixturePdf } from '../helpers/fill.ts';
import { TENANT, state } from './state.ts';

const INBOX = `/${TENANT}/instruction`;
let agent: Visitor | null = null;

function dossierPath(): string {
  return `${INBOX}/dossiers/${state.dossierNumber}`;
}

async function moveTo(tour: Tour, v: Visitor, to: string, motivation: string | null, status?: number): Promise<void> {
  const form = v.page.locator('main form[action$="/etat"]');
  await form.locator(`input[name="to"][value="${to}"]`).check();
  if (motivation !== null) await form.locator('textarea[name="motivation"]').fill(motivation);
  await tour.visit(v, { name: status ? 'agent dossier (errors)' : 'agent dossier', kind: 'staff', status, recheckWithoutJs: !status }, () =>
    form.locator('button[type="submit"]').click(),
  );
}

async function stateIs(v: Visitor, expected: string): Promise<void> {
  if (!(await v.page.locator(`main .badge.state-${expected}`).count())) {
    throw new Error(`the dossier should now be "${expected}": ${(await v.page.locator('main .badge').first().textContent())?.trim()}`);
  }
}

export async function agentInstructs(tour: Tour, t: TestContext): Promise<void> {
  if (!(await tour.routeExists(INBOX))) return tour.skip(t, 'agent inbox and dossier', `${INBOX} does not exist yet (404)`);
  if (!state.dossierNumber) return tour.skip(t, 'agent inbox and dossier', 'no dossier was filed by the citizen tour');
  agent = await tour.visitor();
  const v = agent;
  await signIn(tour, v, 'agent', { tenant: TENANT, next: INBOX, landing: 'agent inbox', screenshot: 'inbox' });

  const filters = v.page.locator('main form[method="get"]');
  await filters.locator('select[name="procedure"]').selectOption({ label: state.procedureTitle! });
  await filters.locator('select[name="sort"]').selectOption({ index: 0 });
  await tour.visit(v, { name: 'agent inbox (filtered)', kind: 'staff' }, () => filters.locator('button[type="submit"]').click());
  const link = v.page.locator(`main a[href="${dossierPath()}"]`);
  if (!(await link.count())) throw new Error(`the filtered inbox does not list dossier ${state.dossierNumber}`);
  await tour.visit(v, { name: 'agent dossier', kind: 'staff', screenshot: 'agent-dossier' }, () => link.click());

  state.agentMessage = 'Bonjour, pouvez-vous nous envoyer un justificatif de domicile récent ?';
  await v.page.locator('#field-message').fill(state.agentMessage);
  await v.page.locator('#field-message-file').setInputFiles(fixturePdf());
  await tour.visit(v, { name: 'agent dossier', kind: 'staff' }, () => v.page.locator('main form:has(#field-message) button[type="submit"]').click());
  if (!((await v.page.locator('main').textContent()) ?? '').includes(state.agentMessage)) {
    state.agentMessage = undefined;
    throw new Error("the agent's message does not appear on the dossier page");
  }
  await moveTo(tour, v, 'en_instruction', null);
  await stateIs(v, 'en_instruction');
}

export async function agentDecides(tour: Tour, t: TestContext): Promise<void> {
  if (!agent || !state.citizenReply) return tour.skip(t, 'agent decision', agent ? 'the citizen did not answer' : 'the agent could not open the dossier');
  const v = agent;
  try {
    await tour.open(v, { name: 'agent dossier', kind: 'staff' }, dossierPath());
    if (!((await v.page.locator('main').textContent()) ?? '').includes(state.citizenReply)) throw new Error("the agent does not see the citizen's reply");
    await moveTo(tour, v, 'refuse', '', 422);
    if (!(await v.page.locator('.error-summary').count())) throw new Error('refusing without a motivation shows no error summary');
    await moveTo(tour, v, 'accepte', 'Dossier complet, demande acceptée.');
    await stateIs(v, 'accepte');
  } finally {
    await v.context.close();
    agent = null;
  }
  const citizen = await tour.visitor();
  await tour.open(citizen, { name: 'tracking page', kind: 'citizen' }, state.trackingPath!);
  if (!(await citizen.page.locator('main .badge.state-accepte').count())) throw new Error("the citizen's tracking page does not show the decision");
  await citizen.context.close();
}
