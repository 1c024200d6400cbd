// The demo accounts (src/core/seed/demo.ts) and signing in through the real form.
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../../src/core/seed/demo.ts';
import type { Tour, Visitor } from './tour.ts';

export type DemoRole = (typeof DEMO_ACCOUNTS)[number]['role'];

export function demoEmail(role: DemoRole): string {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for role ${role}`);
  return account.email;
}

export const EMAIL_LABEL = /adresse (électronique|e-mail|mail)|courriel|e-mail|email/i;
export const PASSWORD_LABEL = /mot de passe|password/i;
export const SIGN_IN_BUTTON = /se connecter|connexion|sign in/i;

/** Signs in with the form of /auth/sign-in (measured as a page) and lands on `next` (measured as `landing`). */
export async function signIn(
  tour: Tour,
  v: Visitor,
  role: DemoRole,
  o: { tenant?: string; next?: string; landing?: string; screenshot?: string } = {},
): Promise<void> {
  const query = new URLSearchParams();
  if (o.tenant) query.set('tenant', o.tenant);
  if (o.next) query.set('next', o.next);
  const qs = query.size ? `?${query}` : '';
  await tour.open(v, { name: 'sign-in', kind: 'citizen' }, `/auth/sign-in${qs}`);
  await v.page.getByLabel(EMAIL_LABEL).fill(demoEmail(role));
  await v.page.getByLabel(PASSWORD_LABEL).fill(DEMO_PASSWORD);
  await tour.visit(v, { name: o.landing ?? 'tenant home', kind: role === 'citizen' ? 'citizen' : 'staff', screenshot: o.screenshot }, () =>
    v.page.getByRole('button', { name: SIGN_IN_BUTTON }).click(),
  );
  if (v.page.url().includes('/auth/sign-in')) throw new Error(`sign-in as ${role} failed: still on ${v.page.url()}`);
}
