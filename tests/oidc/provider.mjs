// A real OpenID Connect provider (oidc-provider) for actiontrail's sign-in tests.
//
//   node provider.mjs PORT CLIENTS_JSON
//
// CLIENTS_JSON: [{"client_id", "client_secret", "redirect_uris": [...]}]. Any login signs in
// (a plain login form of this file, loading nothing from elsewhere; no password checked); the
// account's claims are:
//   sub = the login, email = the login if it has an "@", else login@example.test,
//   email_verified = false for a login starting "unverified", true otherwise.
// Two logins make the provider itself misbehave, so that the tests can see actiontrail refuse
// what a provider should never send: "wrong-audience..." gets an ID token for another client,
// and "expired..." one that expired an hour ago (both signed with the provider's own key).
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const clients = JSON.parse(process.argv[3]);
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: { keys: [jwk] },
  cookies: { keys: ['actiontrail-tests-only'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: id.includes('@') ? id : `${id}@example.test`,
          email_verified: !id.startsWith('unverified'),
        };
      },
    };
  },
  // No consent screen: every client of this test provider is first-party.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email');
    await grant.save();
    return grant;
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The login form: GET shows it, POST signs in whoever was typed.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider</title>
<link rel="icon" href="data:,"></head><body><h1>Test provider: sign in</h1>
<form method="post" action="/interaction/${escape(details.uid)}">
<label>Login <input name="login" required></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>`;
    return undefined;
  }
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const form = new URLSearchParams(Buffer.concat(chunks).toString());
  await provider.interactionFinished(ctx.req, ctx.res, {
    login: { accountId: form.get('login') },
  }, { mergeWithLastSubmission: false });
  return undefined;
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body || !ctx.body.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  let changed = null;
  if (claims.sub.startsWith('wrong-audience')) changed = { ...claims, aud: 'another-client' };
  if (claims.sub.startsWith('expired')) changed = { ...claims, iat: now - 7200, exp: now - 3600 };
  if (changed) {
    ctx.body = {
      ...ctx.body,
      id_token: await new SignJWT(changed)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .sign(privateKey),
    };
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
