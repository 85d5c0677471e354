import { Field, InputType, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { StaffRole } from '../../../domain/auth/api-key.entity.js';
import type { StaffIdentityProviderRow } from '../../../domain/auth/staff-idp.js';
import { DateTimeScalar } from '../../scalars.js';
import { StaffRoleEnum } from '../org.types.js';

@ObjectType({ description: 'One value of the role claim and the role a staff member whose token carries it gets.' })
export class StaffRoleMapping {
  @Field(() => String, { description: 'A value of the role claim, e.g. a group name; compared exactly.' })
  value!: string;

  @Field(() => StaffRoleEnum, { description: 'The role it gives.' })
  role!: StaffRole;
}

@ObjectType({
  description:
    "The OpenID Connect provider the org's staff sign in with: `/graphql` (HTTP and WebSocket) and `POST /imports` take its signed tokens as `Authorization: Bearer <token>` beside API keys.",
})
export class StaffIdentityProvider {
  @Field(() => String, { description: 'The `iss` its tokens carry; its keys are discovered from `<issuer>/.well-known/openid-configuration`.' })
  issuer!: string;

  @Field(() => String, { description: 'The `aud` its tokens must carry: the client id the org registered at the provider.' })
  audience!: string;

  @Field(() => [String], { description: 'Email domains (lowercase) whose people may sign in; tokens of any other are refused.' })
  allowedEmailDomains!: string[];

  @Field(() => String, { description: 'The claim the role is read from, e.g. `groups` or `role` (a string or a list of strings).' })
  roleClaim!: string;

  @Field(() => [StaffRoleMapping], { description: "Claim values and their roles, in order: the first value the token's claim carries decides." })
  roleMapping!: StaffRoleMapping[];

  @Field(() => StaffRoleEnum, { nullable: true, description: 'The role of a staff member no mapping matches; null refuses them.' })
  defaultRole!: StaffRole | null;

  @Field(() => DateTimeScalar, { description: 'When it was first set.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When it was last changed.' })
  updatedAt!: Date;
}

@InputType({ description: 'One value of the role claim and the role it gives.' })
export class StaffRoleMappingInput {
  @Field(() => String, { description: 'A value of the role claim, e.g. a group name (1–200 characters; compared exactly).' })
  value!: string;

  @Field(() => StaffRoleEnum, { description: 'The role it gives.' })
  role!: StaffRole;
}

@InputType({ description: "The org's staff identity provider." })
export class StaffIdentityProviderSetInput {
  @Field(() => String, { description: 'The issuer, exactly as its tokens name it in `iss`: an https URL (plain http only for 127.0.0.1 or localhost), at most 500 characters.' })
  issuer!: string;

  @Field(() => String, {
    description: 'The audience its tokens must carry (the client id the org registered there), at most 200 characters. One org per issuer and audience.',
  })
  audience!: string;

  @Field(() => [String], { description: 'Email domains whose people may sign in, e.g. `example.com` (1–50; compared exactly, case-insensitively).' })
  allowedEmailDomains!: string[];

  @Field(() => String, { description: 'The claim the role is read from, e.g. `groups` or `role` (at most 100 characters).' })
  roleClaim!: string;

  @Field(() => [StaffRoleMappingInput], { description: "Claim values and their roles, in order (at most 50): the first the token's claim carries decides." })
  roleMapping!: StaffRoleMappingInput[];

  @Field(() => StaffRoleEnum, { nullable: true, description: 'The role of a staff member no mapping matches; absent or null refuses them.' })
  defaultRole?: StaffRole | null;
}

@ObjectType({ description: 'Result of `staffIdentityProviderSet`.' })
export class StaffIdentityProviderSetPayload {
  @Field(() => StaffIdentityProvider, { nullable: true, description: 'The provider as now stored.' })
  staffIdentityProvider?: StaffIdentityProviderRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of `staffIdentityProviderRemove`.' })
export class StaffIdentityProviderRemovePayload {
  @Field(() => StaffIdentityProvider, { nullable: true, description: 'The provider that was removed; its tokens stop working within 10 seconds.' })
  staffIdentityProvider?: StaffIdentityProviderRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed (NOT_FOUND: the org has none); empty on success.' })
  userErrors!: UserError[];
}
