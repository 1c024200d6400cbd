// OpenID Connect providers of a collectivité. Each collectivité registers its own client with
// FranceConnect (citizens) or ProConnect (agents), or any standard provider (generic).
import type { Database, Tx } from '../../db/database.ts';
import { journal } from '../../audit/journal.ts';
import { issuerAllowed, PROVIDER_KINDS, type OidcIssuerAllowList, type ProviderKind } from './issuers.ts';

export { PROVIDER_KINDS, type ProviderKind };
export type NewPersonPolicy = 'citizen' | 'require_membership';

export interface OidcProvider {
  tenant_id: string;
  id: string;
  slug: string;
  kind: ProviderKind;
  label: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  scopes: string;
  new_person: NewPersonPolicy;
  settings: ProviderSettings;
  enabled: boolean;
}

export interface ProviderSettings {
  /** Extra parameters of the authorization request (FranceConnect: acr_values=eidas1). */
  authorization_params?: Record<string, string>;
  /** Client metadata for openid-client, e.g. userinfo_signed_response_alg (ProConnect signs userinfo). */
  client_metadata?: Record<string, string>;
}

/** What each national federation expects; a collectivité only types its issuer, client id and secret. */
export const KIND_DEFAULTS: Record<ProviderKind, { label: string; scopes: string; newPerson: NewPersonPolicy; settings: ProviderSettings }> = {
  franceconnect: {
    label: 'FranceConnect',
    scopes: 'openid given_name family_name email',
    newPerson: 'citizen',
    settings: {
      authorization_params: { acr_values: 'eidas1' },
      client_metadata: { id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: 'RS256' },
    },
  },
  proconnect: {
    label: 'ProConnect',
    scopes: 'openid email given_name usual_name',
    newPerson: 'require_membership',
    settings: { client_metadata: { id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: 'RS256' } },
  },
  generic: { label: 'OpenID Connect', scopes: 'openid email profile', newPerson: 'require_membership', settings: {} },
};

export interface AddOidcProviderInput {
  kind: ProviderKind;
  slug?: string;
  label?: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes?: string;
  newPerson?: NewPersonPolicy;
  settings?: ProviderSettings;
  actor?: string;
}

export type AddOidcProviderResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

/** Problems as message keys per field (`auth.oidc.error.*`), for the admin form and the CLI alike. */
export function providerProblems(input: AddOidcProviderInput, allow: OidcIssuerAllowList): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!(PROVIDER_KINDS as readonly string[]).includes(input.kind)) errors.kind = 'auth.oidc.error.kind';
  let issuer: URL | null = null;
  try {
    issuer = new URL(input.issuer);
  } catch {
    /* reported below */
  }
  const local = issuer && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  if (!issuer || !(issuer.protocol === 'https:' || (issuer.protocol === 'http:' && local))) errors.issuer = 'auth.oidc.error.issuer';
  // FranceConnect and ProConnect: only an issuer of the host's list (the federations' own endpoints).
  else if (!errors.kind && !issuerAllowed(allow, input.kind, input.issuer)) errors.issuer = 'auth.oidc.error.issuer_not_allowed';
  if (!input.clientId.trim() || input.clientId.length > 500) errors.client_id = 'auth.oidc.error.client_id';
  if (!input.clientSecret || input.clientSecret.length > 2000) errors.client_secret = 'auth.oidc.error.client_secret';
  const slug = input.slug ?? input.kind;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 40) errors.slug = 'auth.oidc.error.slug';
  const scopes = input.scopes?.trim();
  if (scopes && (!/^[\w.:-]+( [\w.:-]+)*$/.test(scopes) || !scopes.split(' ').includes('openid'))) errors.scopes = 'auth.oidc.error.scopes';
  return errors;
}

/** Adds a provider to a tenant, journaled. The module API for the CLI and the admin page. */
export async function addOidcProvider(db: Database, tenantId: string, input: AddOidcProviderInput, allow: OidcIssuerAllowList): Promise<AddOidcProviderResult> {
  const errors = providerProblems(input, allow);
  if (Object.keys(errors).length) return { ok: false, errors };
  const defaults = KIND_DEFAULTS[input.kind];
  const slug = input.slug ?? input.kind;
  return db.transaction(tenantId, async (tx) => {
    if (await tx.one('select 1 from oidc_providers where slug = $1', [slug])) return { ok: false, errors: { slug: 'auth.oidc.error.slug_taken' } };
    const row = await tx.one<{ id: string }>(
      `insert into oidc_providers (tenant_id, slug, kind, label, issuer, client_id, client_secret, scopes, new_person, settings)
       values (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [
        slug,
        input.kind,
        input.label?.trim() || defaults.label,
        input.issuer.replace(/\/$/, ''),
        input.clientId.trim(),
        input.clientSecret,
        input.scopes?.trim() || defaults.scopes,
        input.newPerson ?? defaults.newPerson,
        JSON.stringify(input.settings ?? defaults.settings),
      ],
    );
    // The secret never goes to the journal.
    await journal(tx, {
      actor: input.actor ?? 'system',
      action: 'core.oidc_provider.add',
      subjectType: 'oidc_provider',
      subjectId: row!.id,
      data: { slug, kind: input.kind, issuer: input.issuer, client_id: input.clientId },
    });
    return { ok: true, id: row!.id };
  });
}

export async function setOidcProviderEnabled(db: Database, tenantId: string, id: string, enabled: boolean, actor: string): Promise<boolean> {
  return db.transaction(tenantId, async (tx) => {
    const changed = await tx.execute('update oidc_providers set enabled = $2 where tenant_id = app_tenant() and id = $1', [id, enabled]);
    if (changed)
      await journal(tx, { actor, action: enabled ? 'core.oidc_provider.enable' : 'core.oidc_provider.disable', subjectType: 'oidc_provider', subjectId: id });
    return changed > 0;
  });
}

const COLUMNS = 'tenant_id, id, slug, kind, label, issuer, client_id, client_secret, scopes, new_person, settings, enabled';

export async function listProviders(tx: Tx): Promise<OidcProvider[]> {
  return tx.query<OidcProvider>(`select ${COLUMNS} from oidc_providers order by label`);
}

/** The buttons of a sign-in page: enabled providers, without those whose issuer the host does not allow. */
export async function listEnabledProviders(tx: Tx, allow: OidcIssuerAllowList): Promise<Array<Pick<OidcProvider, 'slug' | 'kind' | 'label'>>> {
  const rows = await tx.query<Pick<OidcProvider, 'slug' | 'kind' | 'label' | 'issuer'>>(
    `select slug, kind, label, issuer from oidc_providers where enabled order by kind, label`,
  );
  return rows.filter((p) => issuerAllowed(allow, p.kind, p.issuer)).map(({ slug, kind, label }) => ({ slug, kind, label }));
}

export async function findProvider(tx: Tx, by: { slug?: string; id?: string }): Promise<OidcProvider | null> {
  if (by.id) return tx.one<OidcProvider>(`select ${COLUMNS} from oidc_providers where id = $1`, [by.id]);
  return tx.one<OidcProvider>(`select ${COLUMNS} from oidc_providers where slug = $1`, [by.slug]);
}
