// Which providers Bastide believes. FranceConnect and ProConnect vouch for the people they send (their
// addresses included), so their issuers are an installation-wide allow-list that only the host operator
// sets (BASTIDE_FRANCECONNECT_ISSUERS, BASTIDE_PROCONNECT_ISSUERS): a collectivité's administrator chooses
// among them and cannot point "FranceConnect" at a server of their own. A `generic` provider may have any
// issuer, and is believed for nothing but its own subject identifiers (see link.ts).
import type { OidcIssuerAllowList } from '../../../config.ts';

export type { OidcIssuerAllowList };

// The kinds of provider live here, beside what each kind is believed for; providers.ts re-exports them
// (it imports this file, so this file does not import it back).
export const PROVIDER_KINDS = ['franceconnect', 'proconnect', 'generic'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** What of a provider row the checks below read. */
interface ProviderIssuer {
  kind: ProviderKind;
  issuer: string;
}

/** The form issuers are compared in: parsed as a URL (host lower-cased), without a final slash. */
export function normaliseIssuer(issuer: string): string {
  try {
    return new URL(issuer).href.replace(/\/$/, '');
  } catch {
    return issuer;
  }
}

/** The issuers a provider of this kind may have, or null when any issuer will do (generic). */
export function allowedIssuersFor(allow: OidcIssuerAllowList, kind: ProviderKind): string[] | null {
  return kind === 'generic' ? null : (allow[kind] ?? []);
}

export function issuerAllowed(allow: OidcIssuerAllowList, kind: ProviderKind, issuer: string): boolean {
  const list = allowedIssuersFor(allow, kind);
  return list === null || list.includes(normaliseIssuer(issuer));
}

/**
 * A provider whose email claims may name an account: a FranceConnect or ProConnect provider whose issuer
 * is on the host's list. A provider of those kinds with another issuer (configured before the list
 * existed, or after the host shortened it) is not used at all: see usableProvider.
 */
export function vouchesForEmail(allow: OidcIssuerAllowList, provider: ProviderIssuer): boolean {
  return provider.kind !== 'generic' && issuerAllowed(allow, provider.kind, provider.issuer);
}

/** Whether a provider may be used to sign in now: enabled, and its issuer allowed for its kind. */
export function usableProvider(allow: OidcIssuerAllowList, provider: ProviderIssuer & { enabled: boolean }): boolean {
  return provider.enabled && issuerAllowed(allow, provider.kind, provider.issuer);
}
