import { Field, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../enums.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { CARD_SYSTEM_STATUSES, CARD_TYPES, type CardSystemStatus, type CardType } from '../../domain/card/card.entity.js';

export const CardTypeEnum = graphqlEnum(CARD_TYPES, 'CardType', 'Physical or digital card.', {
  PHYSICAL: 'A plastic card.',
  DIGITAL: 'A card in an app or wallet.',
});
export const CardSystemStatusEnum = graphqlEnum(CARD_SYSTEM_STATUSES, 'CardSystemStatus', 'System status a card status label maps to.', {
  NOT_ISSUED: 'Made but not issued to anyone yet.',
  ACTIVE: 'Issued and in use.',
  INACTIVE: 'Issued but blocked or paused.',
  DELETED: 'Deleted; it stays deleted.',
  EXPIRED: 'Past its validity.',
});

@ObjectType({ implements: Node, description: 'A card series: numbering rules, expiry, and the program its cards are linked to.' })
export class CardSeries extends Node {
  @Field(() => String, { description: 'Alphanumeric code, unique in the org (≤ 50 characters).' })
  code!: string;

  @Field(() => String, { nullable: true, description: 'Description.' })
  description!: string | null;

  @Field(() => CardTypeEnum, { description: 'Physical or digital.' })
  type!: CardType;

  @Field(() => String, { description: 'Characters every generated card number starts with.' })
  prefix!: string;

  @Field(() => String, { description: 'Characters every generated card number ends with.' })
  suffix!: string;

  @Field(() => Int, { nullable: true, description: 'Length of a card number, prefix and suffix included.' })
  numberLength!: number | null;

  @Field(() => Boolean, { description: 'Whether card numbers are generated automatically.' })
  autoGenerate!: boolean;

  @Field(() => Int, { nullable: true, description: 'Days a card stays valid after issue.' })
  expiryDays!: number | null;
}

@ObjectType({ description: "A card's status: the brand label over a system status." })
export class CardStatus {
  @Field(() => String, { description: 'Brand label.' })
  label!: string;

  @Field(() => CardSystemStatusEnum, { description: 'System status.' })
  systemStatus!: CardSystemStatus;
}

@ObjectType({ implements: Node, description: 'A loyalty card. It identifies its customer whatever its status.' })
export class Card extends Node {
  @Field(() => String, { description: 'Card number.' })
  number!: string;

  @Field(() => String, { nullable: true, description: "The org's external reference of the card." })
  externalId!: string | null;

  @Field(() => CardStatus, { description: 'Status label and system status.' })
  status!: CardStatus;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the card was issued to its customer.' })
  issuedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the card expires.' })
  expiresAt!: Date | null;

  @Field(() => DateTimeScalar, { description: 'When the card was created.' })
  createdAt!: Date;
}

export const CardConnection = connectionType(Card, 'Card');
