// The OpenID Connect authorization code flow with PKCE, state and nonce, through openid-client. ID token
// signatures are checked against the provider's JWKS (enableNonRepudiationChecks: by default the library
// trusts an ID token received over TLS from the token endpoint; we want the signature checked too).
// The flow's secrets travel in a short-lived, HMAC-signed, HttpOnly cookie bound to this browser.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { guardedFetch, type OutboundPolicy } from '../../net/outbound.ts';
import type { OidcProvider } from './providers.ts';

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
export const OIDC_COOKIE = 'bastide_oidc';
export const OIDC_COOKIE_SECONDS = 600;

export interface FlowState {
  tenantId: string;
  providerId: string;
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  exp: number;
  /** Set when a signed-in person links this provider to their account: that person's id. */
  link?: string;
}

export function sealFlow(secret: string, flow: FlowState): string {
  const body = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(`oidc:${body}`).digest('base64url')}`;
}

export function openFlow(secret: string, cookie: string | undefined, now = Date.now()): FlowState | null {
  if (!cookie || cookie.length > 4000) return null;
  const [body, mac] = cookie.split('.');
  if (!body || !mac) return null;
  const expected = Buffer.from(createHmac('sha256', secret).update(`oidc:${body}`).digest('base64url'));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const flow = JSON.parse(Buffer.from(body, 'base64url').toString()) as FlowState;
    return flow.exp > now / 1000 ? flow : null;
  } catch {
    return null;
  }
}

/** Plain http issuers are accepted only on the loopback interface and outside production (tests, dev). */
function insecureAllowed(issuer: string, env: string): boolean {
  const url = new URL(issuer);
  return env !== 'production' && url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * Discovery documents and keys per provider, cached per process for ten minutes. Every request to the
 * provider (discovery, then keys, token and userinfo endpoints, which the discovery document names) goes
 * through the outbound guard (core/net/outbound.ts): an issuer or endpoint on a loopback, private,
 * link-local or metadata address is refused unless the host operator exempted it (BASTIDE_OUTBOUND_ALLOW).
 */
export class OidcClients {
  private cache = new Map<string, { config: client.Configuration; at: number }>();
  private env: string;
  private fetch: client.CustomFetch;
  constructor(env: string, outbound: OutboundPolicy = {}) {
    this.env = env;
    // Keys and discovery documents are small: 1 MiB is plenty; 10 s as the library's own timeout.
    this.fetch = guardedFetch(outbound, { timeoutMs: 10_000, maxBytes: 1024 * 1024 }) as client.CustomFetch;
  }

  async configuration(provider: OidcProvider): Promise<client.Configuration> {
    const key = createHash('sha256')
      .update([provider.id, provider.issuer, provider.client_id, provider.client_secret, JSON.stringify(provider.settings)].join('\n'))
      .digest('hex');
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 600_000) return hit.config;
    const execute = [client.enableNonRepudiationChecks];
    if (insecureAllowed(provider.issuer, this.env)) execute.push(client.allowInsecureRequests);
    const config = await client.discovery(
      new URL(provider.issuer),
      provider.client_id,
      { ...provider.settings.client_metadata, client_secret: provider.client_secret },
      undefined,
      { execute, timeout: 10, [client.customFetch]: this.fetch },
    );
    this.cache.set(key, { config, at: Date.now() });
    return config;
  }

  /** The provider's authorization URL and the flow state to keep in the browser's cookie. */
  async start(provider: OidcProvider, redirectUri: string, next: string): Promise<{ url: string; flow: FlowState }> {
    const config = await this.configuration(provider);
    const verifier = client.randomPKCECodeVerifier();
    const flow: FlowState = {
      tenantId: provider.tenant_id,
      providerId: provider.id,
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier,
      next,
      exp: Math.floor(Date.now() / 1000) + OIDC_COOKIE_SECONDS,
    };
    const url = client.buildAuthorizationUrl(config, {
      ...provider.settings.authorization_params,
      redirect_uri: redirectUri,
      scope: provider.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flow };
  }

  /**
   * Exchanges the code (state, nonce and PKCE checked; ID token signature, issuer, audience and expiry
   * verified) and returns the ID token claims merged with userinfo when the provider has it.
   */
  async finish(provider: OidcProvider, flow: FlowState, callbackUrl: URL): Promise<Record<string, unknown> & { sub: string }> {
    const config = await this.configuration(provider);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    let userinfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint) {
      userinfo = (await client.fetchUserInfo(config, tokens.access_token, claims.sub)) as Record<string, unknown>;
    }
    return { ...userinfo, ...claims, sub: claims.sub };
  }
}
