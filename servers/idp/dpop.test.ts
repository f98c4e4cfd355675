// The test IdP with DPoP required for the SPA client (IDP_REQUIRE_DPOP=1): the code, the
// access token and the refresh token are all bound to the client's key, over real HTTP.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpopKey, createProof, type DpopKey } from '../dpop-test-proofs.ts';
import { CLIENT_ID, ES256_CLIENT_ID } from './configuration.ts';
import { type RunningIdp, startIdp } from './idp.ts';
import { CookieBrowser, signIn, type TokenResponse, tokenRequest } from './test-client.ts';
import { credentials, freePort, SPA, testEnv } from './test-kit.ts';

let dataDir: string;
let idp: RunningIdp;
let issuer: string;
let tokenUrl: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'idp-dpop-'));
  const env = testEnv(await freePort(), dataDir, false, true);
  issuer = env.idpIssuer;
  tokenUrl = `${issuer}/token`;
  idp = await startIdp(env, { log: () => {} });
});
afterAll(async () => {
  await idp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const now = () => Math.floor(Date.now() / 1000);

/** Signs alice in with `dpop_jkt` of `bindTo`; answers the code and PKCE verifier. */
async function codeBoundTo(bindTo: DpopKey | undefined, clientId = CLIENT_ID) {
  const { callback, verifier } = await signIn(new CookieBrowser(), {
    issuer,
    spaOrigin: SPA,
    clientId,
    scope: 'openid profile contacts:read',
    ...credentials('alice'),
    authParams: bindTo ? { dpop_jkt: bindTo.jkt } : {},
  });
  return { code: callback.searchParams.get('code') ?? '', verifier };
}

function redeem(code: string, verifier: string, proof?: string, clientId = CLIENT_ID) {
  return tokenRequest(
    issuer,
    SPA,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${SPA}/callback`,
      client_id: clientId,
      code_verifier: verifier,
    },
    proof ? { dpop: proof } : {},
  );
}

function refresh(tokens: TokenResponse, proof?: string) {
  return tokenRequest(
    issuer,
    SPA,
    {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      client_id: CLIENT_ID,
    },
    proof ? { dpop: proof } : {},
  );
}

describe('DPoP at the test IdP', () => {
  it('discovery advertises DPoP with asymmetric algs', async () => {
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
    expect(discovery.dpop_signing_alg_values_supported).toContain('ES256');
  });

  it('binds the access and refresh tokens to the key that proved possession', async () => {
    const key = await createDpopKey();
    const { code, verifier } = await codeBoundTo(key);
    const tokens = await redeem(
      code,
      verifier,
      await createProof(key, { htm: 'POST', htu: tokenUrl }),
    );
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe('DPoP');
    expect(decodeJwt(tokens.body.access_token ?? '').cnf).toEqual({ jkt: key.jkt });
    expect(tokens.body.refresh_token).toBeTruthy();
    // the refresh token works with the same key...
    const renewed = await refresh(
      tokens.body,
      await createProof(key, { htm: 'POST', htu: tokenUrl }),
    );
    expect(renewed.status).toBe(200);
    expect(decodeJwt(renewed.body.access_token ?? '').cnf).toEqual({ jkt: key.jkt });
    // ...and not without it, nor with another key (a stolen refresh token)
    const stolen = { ...tokens.body, refresh_token: renewed.body.refresh_token };
    expect((await refresh(stolen)).status).toBe(400);
    const thief = await createDpopKey();
    const forged = await refresh(stolen, await createProof(thief, { htm: 'POST', htu: tokenUrl }));
    expect(forged.status).toBe(400);
    expect(forged.body.error).toBe('invalid_grant');
  });

  it('rotates a DPoP-bound refresh token on every use, still bound to the key', async () => {
    const key = await createDpopKey();
    const proof = () => createProof(key, { htm: 'POST', htu: tokenUrl });
    const { code, verifier } = await codeBoundTo(key);
    const first = (await redeem(code, verifier, await proof())).body;
    const second = await refresh(first, await proof());
    expect(second.status).toBe(200);
    // A new refresh token at once, not only late in the old one's life (the default for
    // sender-constrained tokens), still bound to the key.
    expect(second.body.refresh_token).toBeTruthy();
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    const third = await refresh(second.body, await proof());
    expect(third.status).toBe(200);
    expect(third.body.refresh_token).not.toBe(second.body.refresh_token);
    expect(decodeJwt(third.body.access_token ?? '').cnf).toEqual({ jkt: key.jkt });

    // Without the key a rotated token is refused before reuse is looked at: a thief who has
    // only the token cannot end the user's session with it.
    expect((await refresh(second.body)).status).toBe(400);
    expect((await refresh(third.body, await proof())).status).toBe(200);
  });

  it('revokes the grant when a rotated DPoP-bound refresh token is used again with the key', async () => {
    const key = await createDpopKey();
    const proof = () => createProof(key, { htm: 'POST', htu: tokenUrl });
    const { code, verifier } = await codeBoundTo(key);
    const first = (await redeem(code, verifier, await proof())).body;
    const renewed = await refresh(first, await proof());
    expect(renewed.status).toBe(200);
    // a stale copy (another tab's, or a lost answer): refused, and the grant goes with it
    const reused = await refresh(first, await proof());
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ error: 'invalid_grant' });
    const newest = await refresh(renewed.body, await proof());
    expect(newest.status).toBe(400);
    expect(newest.body).toMatchObject({ error: 'invalid_grant' });
  });

  // Every registration of the SPA: a client without the requirement would get bearer
  // tokens the API accepts, however the main client is registered.
  it.each([CLIENT_ID, ES256_CLIENT_ID])(
    'refuses a token request of %s without a proof when DPoP is required',
    async (clientId) => {
      const { code, verifier } = await codeBoundTo(undefined, clientId);
      const answer = await redeem(code, verifier, undefined, clientId);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_grant');
    },
  );

  it('refuses a code bound with dpop_jkt when redeemed with another key (a stolen code)', async () => {
    const key = await createDpopKey();
    const thief = await createDpopKey();
    const { code, verifier } = await codeBoundTo(key);
    const answer = await redeem(
      code,
      verifier,
      await createProof(thief, { htm: 'POST', htu: tokenUrl }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/invalid_grant|invalid_dpop_proof/);
  });

  it.each([
    ['slow', -600],
    ['fast', 600],
  ])('a device clock 10 minutes %s gets use_dpop_nonce, then the nonce works', async (_n, skew) => {
    const key = await createDpopKey();
    const { code, verifier } = await codeBoundTo(key);
    const iat = now() + skew;
    const first = await redeem(
      code,
      verifier,
      await createProof(key, { htm: 'POST', htu: tokenUrl, claims: { iat } }),
    );
    expect(first.status).toBe(400);
    expect(first.body.error).toBe('use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();
    const second = await redeem(
      code,
      verifier,
      await createProof(key, { htm: 'POST', htu: tokenUrl, claims: { iat, nonce } }),
    );
    expect(second.status).toBe(200);
  });

  it('lets the SPA read DPoP-Nonce cross-origin', async () => {
    const answer = await fetch(tokenUrl, { method: 'POST', headers: { origin: SPA } });
    expect(answer.headers.get('access-control-expose-headers')?.toLowerCase()).toContain(
      'dpop-nonce',
    );
  });
});
