import { AppError } from './errors';

/** Who is calling, as EasyAuth vouches for it. `email` is the owner key of every record. */
export interface Caller {
  email: string;
  /** Entra object id, kept because emails can be reassigned to another person. */
  oid?: string;
}

const emailClaimTypes = [
  'emails',
  'email',
  'preferred_username',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
];
const oidClaimTypes = ['oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier'];

interface Claim {
  typ: string;
  val: string;
}

function decodeClaims(principalHeader: string): Claim[] | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(principalHeader, 'base64').toString('utf8'));
    if (typeof decoded !== 'object' || decoded === null || !('claims' in decoded)) return undefined;
    const { claims } = decoded;
    if (!Array.isArray(claims)) return undefined;
    return claims.filter(
      (c): c is Claim =>
        typeof c === 'object' &&
        c !== null &&
        typeof (c as Claim).typ === 'string' &&
        typeof (c as Claim).val === 'string',
    );
  } catch {
    return undefined;
  }
}

const unauthenticated = (message: string) => new AppError('unauthenticated', message);

/**
 * Resolves the caller from App Service Authentication headers (README: API; the OpenAPI document's `clientPrincipal` scheme). The owner never comes
 * from a body or a query string.
 */
export function resolveCaller(principalHeader: string | null, principalName: string | null): Caller {
  if (!principalHeader) throw unauthenticated('Sign-in required: no client principal was presented.');
  const claims = decodeClaims(principalHeader);
  if (!claims) throw unauthenticated('The client principal could not be decoded.');
  const claimValue = (types: string[]) =>
    types.map((t) => claims.find((c) => c.typ === t)?.val.trim()).find((v) => v);
  const email = claimValue(emailClaimTypes) ?? principalName?.trim();
  if (!email) throw unauthenticated('The client principal carries no email.');
  // The owner key becomes a partition key and the first segment of blob paths: no separators.
  if (!/^[^\s/\\@]+@[^\s/\\@]+$/.test(email))
    throw unauthenticated('The client principal carries no usable email.');
  const oid = claimValue(oidClaimTypes);
  return oid ? { email: email.toLowerCase(), oid } : { email: email.toLowerCase() };
}

/**
 * Whether a record belongs to the caller: same owner email, and — when both sides know it — the
 * same object id, so a reassigned email does not inherit its previous holder's records.
 */
export function ownsRecord(caller: Caller, record: { owner_email: string; owner_oid?: string }): boolean {
  if (record.owner_email !== caller.email) return false;
  return !(record.owner_oid && caller.oid && record.owner_oid !== caller.oid);
}
