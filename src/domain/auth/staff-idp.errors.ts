import { errorCodes } from '../../core/errors.js';

export const StaffIdentityProviderErrorCode = errorCodes({
  STAFF_IDENTITY_PROVIDER_TAKEN:
    'Another org already trusts this issuer with this audience: a token must name one org, so each org registers its own client (audience) at the provider.',
});
