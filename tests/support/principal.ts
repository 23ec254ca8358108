/** Builds the `x-ms-client-principal` header App Service Authentication sends. */
export function principalHeader(claims: Record<string, string>): string {
  const principal = {
    auth_typ: 'aad',
    name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    claims: Object.entries(claims).map(([typ, val]) => ({ typ, val })),
  };
  return Buffer.from(JSON.stringify(principal)).toString('base64');
}

export function authHeaders(email: string, oid?: string): Record<string, string> {
  return { 'x-ms-client-principal': principalHeader(oid ? { email, oid } : { email }) };
}
