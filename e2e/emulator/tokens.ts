import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  decodeJwt,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Base64url without padding. */
export const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** Opaque token strings shaped like Entra's (`0.A…` codes, `1.A…` refresh tokens). */
export function opaqueToken(prefix: '0' | '1', bytes = 96): string {
  return `${prefix}.AXoA${randomBytes(bytes).toString('base64url')}`;
}

export function clientInfo(oid: string, tid: string): string {
  return b64url(JSON.stringify({ uid: oid, utid: tid }));
}

/** Pairwise subject per app, as Entra's id_token `sub`. */
export function pairwiseSub(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}|${clientId}`).digest().subarray(0, 32).toString('base64url');
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** The emulator's token signing key (RS256), published at /{tenant}/discovery/v2.0/keys. */
export async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, use: 'sig', kty: 'RSA', alg: 'RS256' } };
}

export async function signJwt(key: SigningKey, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid }).sign(key.privateKey);
}

export type VerifyFailure = 'malformed' | 'signature' | 'expired' | 'notYetValid' | 'audience' | 'issuer';

/** Verifies a Graph access token against our own key and the emulator clock. */
export async function verifyAccessToken(
  key: SigningKey,
  token: string,
  nowMs: number,
  /** The Graph this host is: a token for another cloud's Graph has the wrong audience. */
  resource: string = GRAPH_RESOURCE,
): Promise<{ ok: true; claims: JWTPayload & Record<string, unknown> } | { ok: false; reason: VerifyFailure }> {
  if (token.split('.').length !== 3) return { ok: false, reason: 'malformed' };
  try {
    decodeJwt(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['RS256'],
      currentDate: new Date(nowMs),
      // Graph's accepted audiences for its own tokens.
      audience: [resource, `${resource}/`, GRAPH_APP_ID],
    });
    const iss = typeof payload.iss === 'string' ? payload.iss : '';
    if (!/^https:\/\/sts\.windows\.net\/[0-9a-f-]{36}\/$/.test(iss)) return { ok: false, reason: 'issuer' };
    return { ok: true, claims: payload };
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
    if (e instanceof joseErrors.JWTClaimValidationFailed) {
      if (e.claim === 'aud') return { ok: false, reason: 'audience' };
      if (e.claim === 'nbf' || e.claim === 'iat') return { ok: false, reason: 'notYetValid' };
      return { ok: false, reason: 'malformed' };
    }
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, reason: 'signature' };
    return { ok: false, reason: 'malformed' };
  }
}

// ---- opaque grants ---------------------------------------------------------------------------------

export interface AuthCodeGrant {
  code: string;
  clientId: string;
  tenantId: string;
  userId: string;
  redirectUri: string;
  /** Requested scopes (full list as sent to /authorize). */
  scopes: string[];
  /** Graph scope names (e.g. Mail.Send) granted for this code. */
  graphScopes: string[];
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  sessionId: string;
  mfa: boolean;
  authTime: number;
  issuedAt: number;
  redeemed: boolean;
}

export interface RefreshTokenGrant {
  token: string;
  clientId: string;
  tenantId: string;
  userId: string;
  graphScopes: string[];
  /** When this token was issued (inactivity is measured from here, since every use rotates it). */
  issuedAt: number;
  /** When the user signed in interactively (the grant's issue time, compared with TokensValidFrom). */
  authTime: number;
  sessionId: string;
  mfa: boolean;
  /** Set when rotated; with strict rotation the token is then rejected. */
  replacedAt?: number;
}

export interface SignInSession {
  id: string;
  userId: string;
  tenantId: string;
  mfa: boolean;
  authTime: number;
}

/** In-memory stores of codes, refresh tokens and browser sessions. */
export class GrantStore {
  readonly codes = new Map<string, AuthCodeGrant>();
  readonly refreshTokens = new Map<string, RefreshTokenGrant>();
  readonly sessions = new Map<string, SignInSession>();

  newSession(userId: string, tenantId: string, mfa: boolean, now: number): SignInSession {
    const session = { id: randomUUID(), userId, tenantId, mfa, authTime: now };
    this.sessions.set(session.id, session);
    return session;
  }

  issueCode(grant: Omit<AuthCodeGrant, 'code' | 'redeemed'>): AuthCodeGrant {
    const full: AuthCodeGrant = { ...grant, code: opaqueToken('0'), redeemed: false };
    this.codes.set(full.code, full);
    return full;
  }

  issueRefreshToken(grant: Omit<RefreshTokenGrant, 'token'>): RefreshTokenGrant {
    const full: RefreshTokenGrant = { ...grant, token: opaqueToken('1', 160) };
    this.refreshTokens.set(full.token, full);
    return full;
  }
}
