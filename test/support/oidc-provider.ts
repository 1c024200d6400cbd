// Test support: a real OpenID Connect provider (panva's oidc-provider) on 127.0.0.1 and a random port,
// shaped like FranceConnect (scopes named after claims, acr eidas1, signed userinfo). It can be told to
// tamper with the ID tokens it returns, as a man in the middle would. Used by src/core/auth/oidc.test.ts and
// oidc-binding.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, Record<string, unknown>>;
  /** When true, the token endpoint's ID token gets its payload altered (signature left as is). */
  tamperIdToken: boolean;
  close(): Promise<void>;
}

function tamper(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  claims.email = 'attacker@example.org';
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, Record<string, unknown>>();
  const clientId = 'bastide-test-client';
  const clientSecret = 'test-secret-0123456789-0123456789-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      const claims = accounts.get(sub);
      return claims ? { accountId: sub, claims: async () => ({ sub, ...claims }) } : undefined;
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      given_name: ['given_name'],
      family_name: ['family_name'],
      usual_name: ['usual_name'],
      profile: ['name'],
    },
    acrValues: ['eidas1'],
    // Keys and lifetimes of our own, which also keeps the provider's start-up warnings short.
    jwks: {
      keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }],
    },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: true }, jwtUserinfo: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['bastide-test-provider-cookie-key'] },
  } as never);
  const handler = provider.callback();
  const state: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    tamperIdToken: false,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('request', (req, res) => {
    if (state.tamperIdToken && req.method === 'POST' && req.url?.startsWith('/token')) {
      const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
      res.end = ((chunk: unknown, ...rest: unknown[]) => {
        if (chunk && !res.headersSent) {
          const body = JSON.parse(String(chunk));
          if (body.id_token) body.id_token = tamper(body.id_token);
          const out = JSON.stringify(body);
          res.setHeader('content-length', Buffer.byteLength(out));
          return end(out, ...rest);
        }
        return end(chunk, ...rest);
      }) as typeof res.end;
    }
    void handler(req, res);
  });
  return state;
}

/** A browser at the provider: follows redirects by hand, keeps cookies, signs in and consents. */
export async function signInAtProvider(authorizationUrl: string, accountId: string, stopAt: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(stopAt)) return next;
      url = next.href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const page = await res.text();
    if (res.status !== 200 || !url.includes('/interaction/')) throw new Error(`unexpected ${res.status} at ${url}: ${page.slice(0, 300)}`);
    // The development interactions: a login form (any account id), then a consent form.
    body = page.includes('name="login"')
      ? new URLSearchParams({ prompt: 'login', login: accountId, password: 'x' }).toString()
      : new URLSearchParams({ prompt: 'consent' }).toString();
    method = 'POST';
  }
  throw new Error('too many redirects at the provider');
}
