import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { Customer } from '../../customer/customer.types.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import type { CardType } from '../../../domain/card/card.entity.js';
import type { CardRow, CardSeriesRow } from '../../../domain/card/card.rows.js';
import { Card, CardSeries, CardTypeEnum } from '../card.types.js';

@InputType({ description: 'A new card series: numbering rules, expiry, store and program.' })
export class CardSeriesCreateInput {
  @Field(() => String, { description: 'Code: letters and digits, at most 50, unique in the org.' })
  code!: string;

  @Field(() => String, { nullable: true, description: 'Description.' })
  description?: string | null;

  @Field(() => CardTypeEnum, { description: 'Physical or digital.' })
  type!: CardType;

  @Field(() => String, { nullable: true, description: 'Letters or digits every card number starts with (at most 20).' })
  prefix?: string | null;

  @Field(() => String, { nullable: true, description: 'Letters or digits every card number ends with (at most 20).' })
  suffix?: string | null;

  @Field(() => Int, { nullable: true, description: 'Length of a card number, prefix and suffix included (1–64); needed to generate numbers.' })
  numberLength?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether card numbers are generated (`cardsGenerate`); false by default.' })
  autoGenerate?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Days a card stays valid after it is issued.' })
  expiryDays?: number | null;

  @Field(() => String, { nullable: true, description: 'Code or external id of the store the series is tagged to.' })
  storeCode?: string | null;

  @Field(() => ID, { nullable: true, description: "The program the series' cards are linked to; the org's default program by default." })
  programId?: string | null;
}

@ObjectType({ description: 'Result of `cardSeriesCreate`.' })
export class CardSeriesCreatePayload {
  @Field(() => CardSeries, { nullable: true, description: 'The new series.' })
  cardSeries?: CardSeriesRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was created; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Cards to generate in a series.' })
export class CardsGenerateInput {
  @Field(() => String, { description: 'Code of a series that generates card numbers.' })
  seriesCode!: string;

  @Field(() => Int, { description: 'How many cards (1–1000).' })
  count!: number;
}

@ObjectType({ description: 'Result of `cardsGenerate`.' })
export class CardsGeneratePayload {
  @Field(() => CardSeries, { nullable: true, description: 'The series.' })
  cardSeries?: CardSeriesRow | null;

  @Field(() => [Card], { nullable: true, description: 'The cards generated, not issued yet, in number order (as many as `count`).' })
  cards?: CardRow[] | null;

  @Field(() => [UserErrorType], { description: 'Why no card was generated; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A card issued to a customer.' })
export class CardIssueInput {
  @Field(() => String, { description: 'The card number.' })
  cardNumber!: string;

  @Field(() => CustomerIdentifierInput, { description: 'The customer to issue it to.' })
  customer!: CustomerIdentifierInput;

  @Field(() => String, { nullable: true, description: 'When the card does not exist yet: the series to create it in (the number must fit its rules).' })
  seriesCode?: string | null;

  @Field(() => String, { nullable: true, description: "The org's external reference of the card." })
  externalId?: string | null;

  @Field(() => String, { nullable: true, description: "The status label to give the card; the org's first ACTIVE label by default." })
  statusLabel?: string | null;
}

@ObjectType({ description: 'Result of `cardIssue`.' })
export class CardIssuePayload {
  @Field(() => Card, { nullable: true, description: 'The card, issued.' })
  card?: CardRow | null;

  @Field(() => Customer, { nullable: true, description: 'The customer it is issued to.' })
  customer?: CustomerRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A card given another status label.' })
export class CardStatusChangeInput {
  @Field(() => String, { description: 'The card number.' })
  cardNumber!: string;

  @Field(() => String, { description: "One of the org's card status labels." })
  statusLabel!: string;

  @Field(() => String, { nullable: true, description: 'Why the status changes.' })
  reason?: string | null;
}

@ObjectType({ description: 'Result of `cardStatusChange`.' })
export class CardStatusChangePayload {
  @Field(() => Card, { nullable: true, description: 'The card with its new status.' })
  card?: CardRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserError[];
}
