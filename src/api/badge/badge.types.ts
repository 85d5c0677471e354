import { Field, ObjectType } from 'type-graphql';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';

@ObjectType({ implements: Node, description: 'A badge customers can earn.' })
export class Badge extends Node {
  @Field(() => String, { description: 'The id imports and integrations refer to the badge by (badgeMetaId).' })
  metaId!: string;

  @Field(() => String, { description: 'Badge name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Description.' })
  description!: string | null;
}

@ObjectType({ implements: Node, description: 'A badge earned by a customer.' })
export class EarnedBadge extends Node {
  @Field(() => Badge, { description: 'The badge earned.' })
  badge!: Badge;

  @Field(() => DateTimeScalar, { description: 'When the badge was earned (may precede its creation for a retro issue).' })
  earnedAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When the badge expires.' })
  expiresAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When the badge was recorded.' })
  createdAt!: Date;
}

export const EarnedBadgeConnection = connectionType(EarnedBadge, 'EarnedBadge');
