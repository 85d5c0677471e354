import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { inputId } from '../relay.js';
import { payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowRoles, AllowWriters } from '../allow.js';
import { customerById } from '../customer/customer.loaders.js';
import { cardById, cardSeriesById, findCardByNumber, findCardSeriesByCode } from './card.loaders.js';
import type { CardRow, CardSeriesRow } from '../../domain/card/card.rows.js';
import { createCardSeries, generateCards } from '../../domain/card/card-series.service.js';
import { changeCardStatus, issueCard } from '../../domain/card/card.service.js';
import { Card, CardSeries } from './card.types.js';
import {
  CardIssueInput,
  CardIssuePayload,
  CardSeriesCreateInput,
  CardSeriesCreatePayload,
  CardsGenerateInput,
  CardsGeneratePayload,
  CardStatusChangeInput,
  CardStatusChangePayload,
} from './dto/card-mutations.js';

@Resolver()
export class CardResolver {
  @Query(() => Card, { nullable: true, description: 'A card by its number, whatever its status.' })
  cardByNumber(@Arg('number', () => String, { description: 'Card number.' }) number: string, @Ctx() ctx: RequestContext): Promise<CardRow | null> {
    return findCardByNumber(ctx, number);
  }

  @Query(() => CardSeries, { nullable: true, description: 'A card series by its code.' })
  cardSeriesByCode(@Arg('code', () => String, { description: 'Series code.' }) code: string, @Ctx() ctx: RequestContext): Promise<CardSeriesRow | null> {
    return findCardSeriesByCode(ctx, code);
  }

  @AllowRoles(['ADMIN', 'INTEGRATION'], 'create card series')
  @Mutation(() => CardSeriesCreatePayload, { description: 'Creates a card series (ADMIN and INTEGRATION keys: it is configuration).' })
  cardSeriesCreate(@Arg('input', () => CardSeriesCreateInput, { description: 'The series.' }) input: CardSeriesCreateInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const { seriesId } = await createCardSeries(ctx, {
        ...input,
        autoGenerate: input.autoGenerate ?? false,
        store: input.storeCode ? { code: input.storeCode } : null,
        programId: inputId(input.programId, 'LoyaltyProgram'),
      });
      return { cardSeries: await cardSeriesById(ctx).load(seriesId) };
    });
  }

  @AllowWriters()
  @Mutation(() => CardsGeneratePayload, { description: "Generates cards in a series, numbered by its prefix, suffix and length; they are not issued yet." })
  cardsGenerate(@Arg('input', () => CardsGenerateInput, { description: 'The series and how many cards.' }) input: CardsGenerateInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const { seriesId, cardIds } = await generateCards(ctx, input);
      const [cardSeries, cards] = await Promise.all([cardSeriesById(ctx).load(seriesId), Promise.all(cardIds.map((id) => cardById(ctx).load(id)))]);
      return { cardSeries, cards: cards.filter((card): card is CardRow => card !== null) };
    });
  }

  @AllowWriters()
  @Mutation(() => CardIssuePayload, { description: 'Issues a card to a customer (an active label, validity from now).' })
  cardIssue(@Arg('input', () => CardIssueInput, { description: 'The card and the customer.' }) input: CardIssueInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const { cardId, customerId } = await issueCard(ctx, input);
      const [card, customer] = await Promise.all([cardById(ctx).load(cardId), customerById(ctx).load(customerId)]);
      return { card, customer };
    });
  }

  @AllowWriters()
  @Mutation(() => CardStatusChangePayload, { description: "Gives a card another of the org's status labels." })
  cardStatusChange(@Arg('input', () => CardStatusChangeInput, { description: 'The card, the label and a reason.' }) input: CardStatusChangeInput, @Ctx() ctx: RequestContext) {
    return payload(async () => ({ card: await cardById(ctx).load((await changeCardStatus(ctx, input)).cardId) }));
  }
}
