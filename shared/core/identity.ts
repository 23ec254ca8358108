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

/**
 * The principal's claims, and Static Web Apps' `userDetails`: the principal Static Web Apps injects
 * for its linked backend is `{identityProvider, userId, userDetails, userRoles}`, where
 * `userDetails` is the e-mail for Entra ID sign-ins, and may carry no claims at all.
 */
function decodePrincipal(principalHeader: string): { claims: Claim[]; userDetails?: string } | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(principalHeader, 'base64').toString('utf8'));
    if (typeof decoded !== 'object' || decoded === null) return undefined;
    const { claims, userDetails } = decoded as { claims?: unknown; userDetails?: unknown };
    if (!Array.isArray(claims) && typeof userDetails !== 'string') return undefined;
    return {
      claims: (Array.isArray(claims) ? (claims as unknown[]) : []).filter(
        (c): c is Claim =>
          typeof c === 'object' &&
          c !== null &&
          typeof (c as Claim).typ === 'string' &&
          typeof (c as Claim).val === 'string',
      ),
      ...(typeof userDetails === 'string' ? { userDetails } : {}),
    };
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
  const principal = decodePrincipal(principalHeader);
  if (!principal) throw unauthenticated('The client principal could not be decoded.');
  const { claims } = principal;
  const claimValue = (types: string[]) =>
    types.map((t) => claims.find((c) => c.typ === t)?.val.trim()).find((v) => v);
  const email =
    claimValue(emailClaimTypes) || principal.userDetails?.trim() || principalName?.trim() || undefined;
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
