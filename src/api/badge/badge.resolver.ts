import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { customerById } from '../customer/customer.loaders.js';
import { earnedBadgeById } from './badge.loaders.js';
import { issueBadge } from '../../domain/badge/badge.service.js';
import { BadgeIssueInput, BadgeIssuePayload } from './dto/badge-issue.js';

@Resolver()
export class BadgeResolver {
  @AllowWriters()
  @Mutation(() => BadgeIssuePayload, { description: 'Issues a badge to a customer, with its earn date (past allowed) and expiry.' })
  badgeIssue(@Arg('input', () => BadgeIssueInput, { description: 'The customer, the badge and its dates.' }) input: BadgeIssueInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const result = await issueBadge(ctx, { customer: input.customer, badgeMetaId: input.badgeMetaId, earnedAt: input.earnEventDate, expiresAt: input.earnExpiresOn });
      const [earnedBadge, customer] = await Promise.all([earnedBadgeById(ctx).load(result.earnedBadgeId), customerById(ctx).load(result.customerId)]);
      return { earnedBadge, customer };
    });
  }
}
