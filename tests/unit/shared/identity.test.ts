import { AppError } from '../../../shared/core/errors';
import { ownsRecord, resolveCaller } from '../../../shared/core/identity';
import { principalHeader } from '../../support/principal';

function unauthenticatedMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(401);
    return (error as AppError).message;
  }
  throw new Error('expected a 401');
}

describe('resolveCaller', () => {
  it('when the principal has an email claim, then the owner is the lower-cased email with its oid', () => {
    const caller = resolveCaller(principalHeader({ email: 'Ana.Silva@Contoso.COM', oid: 'o-1' }), null);
    expect(caller).toEqual({ email: 'ana.silva@contoso.com', oid: 'o-1' });
  });

  it('when several email claims exist, then the first of emails, email, preferred_username wins', () => {
    const header = principalHeader({ preferred_username: 'upn@contoso.com', emails: 'b2c@contoso.com' });
    expect(resolveCaller(header, null).email).toBe('b2c@contoso.com');
  });

  it('when only the xmlsoap email claim exists, then it is used', () => {
    const header = principalHeader({
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': 'x@y.io',
    });
    expect(resolveCaller(header, null).email).toBe('x@y.io');
  });

  it('when Static Web Apps injects its principal (userDetails, no claims), then the owner is its e-mail', () => {
    const swa = Buffer.from(
      JSON.stringify({
        identityProvider: 'aad',
        userId: 'd75b260a64504067bfc5b2905e3b8182',
        userDetails: 'Ana.Silva@Contoso.com',
        userRoles: ['anonymous', 'authenticated'],
      }),
    ).toString('base64');
    expect(resolveCaller(swa, null)).toEqual({ email: 'ana.silva@contoso.com' });
  });

  it('when Static Web Apps signs in a GitHub user (userDetails is a user name), then the caller is unauthenticated', () => {
    const swa = Buffer.from(
      JSON.stringify({ identityProvider: 'github', userId: 'u1', userDetails: 'octocat', userRoles: [] }),
    ).toString('base64');
    expect(unauthenticatedMessage(() => resolveCaller(swa, null))).toMatch(/no usable email/);
  });

  it('when no email claim exists, then the principal-name header is used', () => {
    expect(resolveCaller(principalHeader({ name: 'n' }), 'Someone@Example.org').email).toBe(
      'someone@example.org',
    );
  });

  it('when the email could escape a blob path, then the caller is unauthenticated', () => {
    expect(
      unauthenticatedMessage(() => resolveCaller(principalHeader({ email: '../other@x.io' }), null)),
    ).toMatch(/usable email/);
    unauthenticatedMessage(() => resolveCaller(principalHeader({ email: 'not-an-email' }), null));
  });

  it('when no principal is presented, then the caller is unauthenticated', () => {
    expect(unauthenticatedMessage(() => resolveCaller(null, 'a@b.c'))).toMatch(/no client principal/);
  });

  it('when the principal does not decode, then the caller is unauthenticated', () => {
    unauthenticatedMessage(() => resolveCaller('%%%not-base64-json', null));
    unauthenticatedMessage(() => resolveCaller(Buffer.from('{"claims": 5}').toString('base64'), null));
  });
});

describe('ownsRecord', () => {
  const caller = { email: 'a@b.c', oid: 'o-1' };
  it('when email and oid match, then the record is the caller’s', () => {
    expect(ownsRecord(caller, { owner_email: 'a@b.c', owner_oid: 'o-1' })).toBe(true);
  });
  it('when the email was reassigned to another oid, then the record is not the caller’s', () => {
    expect(ownsRecord(caller, { owner_email: 'a@b.c', owner_oid: 'o-2' })).toBe(false);
  });
  it('when the record has no oid, then the email decides', () => {
    expect(ownsRecord(caller, { owner_email: 'a@b.c' })).toBe(true);
    expect(ownsRecord(caller, { owner_email: 'z@b.c' })).toBe(false);
  });
});
