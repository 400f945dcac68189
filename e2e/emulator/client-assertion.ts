// private_key_jwt: the checks Entra makes on a client_assertion (RFC 7523 + Entra's certificate credentials).

import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { AAD, type AadErrorSpec } from './errors';
import type { AppRegistration, KeyCredential } from './world';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Entra's tolerance for clock skew on nbf/exp (5 minutes, as for its own tokens). */
const SKEW_SECONDS = 300;

const thumbprintOf = (k: KeyCredential, header: 'x5t#S256' | 'x5t'): string =>
  Buffer.from(header === 'x5t#S256' ? k.thumbprintSha256 : k.customKeyIdentifier, 'hex').toString('base64url');

/**
 * Validates an assertion for `app` at `now` (ms); `audiences` are the token endpoint URLs this request could name.
 * Order as Entra reports: shape, issuer/subject, audience, key, signature, time. jti must be present but is not
 * single-use: MSAL reuses one assertion for up to 10 minutes, and Entra accepts that.
 */
export async function checkClientAssertion(
  app: AppRegistration,
  assertion: string,
  assertionType: string | null,
  audiences: readonly string[],
  now: number,
): Promise<AadErrorSpec | undefined> {
  if (assertionType !== JWT_BEARER) return AAD.assertionMalformed(`client_assertion_type must be '${JWT_BEARER}'.`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(assertion);
    claims = decodeJwt(assertion);
  } catch {
    return AAD.assertionMalformed('The client assertion is not a JWT.');
  }
  if (header.alg !== 'RS256' && header.alg !== 'PS256') return AAD.assertionMalformed(`Unsupported alg '${String(header.alg)}'.`);
  const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const x5t = typeof header.x5t === 'string' ? header.x5t : undefined;
  if (x5tS256 === undefined && x5t === undefined) return AAD.assertionMalformed("The header has neither 'x5t#S256' nor 'x5t'.");
  if (typeof claims.jti !== 'string' || claims.jti === '') return AAD.assertionMalformed("The claim 'jti' is missing.");
  const id = app.clientId.toLowerCase();
  if (claims.iss?.toLowerCase() !== id || claims.sub?.toLowerCase() !== id) return AAD.assertionIssuerMismatch();
  const aud = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  if (!aud.some((a) => audiences.includes(a))) return AAD.assertionAudienceMismatch();

  const headerName = x5tS256 !== undefined ? 'x5t#S256' : 'x5t';
  const presented = x5tS256 ?? x5t ?? '';
  const hexPresented = Buffer.from(presented, 'base64url').toString('hex').toUpperCase();
  const key = (app.keyCredentials ?? []).find((k) => thumbprintOf(k, headerName) === presented);
  if (key === undefined) return AAD.assertionKeyNotFound(app.clientId, hexPresented);
  if (now >= Date.parse(key.endDateTime)) return AAD.assertionKeyNotFound(app.clientId, hexPresented, 'The key used is expired.');
  if (now < Date.parse(key.startDateTime))
    return AAD.assertionKeyNotFound(app.clientId, hexPresented, 'The key is not yet valid.');

  try {
    const publicKey = createPublicKey(new X509Certificate(key.certPem).publicKey.export({ format: 'pem', type: 'spki' }));
    await compactVerify(assertion, publicKey, { algorithms: ['RS256', 'PS256'] });
  } catch {
    return AAD.assertionSignatureInvalid();
  }

  const nowS = Math.floor(now / 1000);
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : undefined;
  if (exp === undefined || nowS > exp + SKEW_SECONDS || (nbf !== undefined && nowS < nbf - SKEW_SECONDS)) {
    return AAD.assertionTimeRange(now, nbf, exp);
  }
  return undefined;
}

/** SHA-256 of a certificate's DER, uppercase hex: how tests and the app name a certificate. */
export const sha256Thumbprint = (pem: string): string =>
  createHash('sha256').update(new X509Certificate(pem).raw).digest('hex').toUpperCase();
