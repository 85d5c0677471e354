import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context.js';
import { findCardByNumber, findCardSeriesByCode } from './card.loaders.js';
import type { CardRow, CardSeriesRow } from './card.rows.js';
import { Card, CardSeries } from './card.types.js';

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
}
