import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import { storeById } from '../org/org.loaders.js';
import type { StoreRow } from '../../domain/org/org.rows.js';
import { Store } from '../org/org.types.js';
import { programById } from '../program/program.loaders.js';
import type { LoyaltyProgramRow } from '../../domain/program/program.rows.js';
import { LoyaltyProgram } from '../program/program.types.js';
import type { CardRow, CardSeriesRow } from '../../domain/card/card.rows.js';
import { Card, CardSeries } from './card.types.js';

@Resolver(() => Card)
export class CardFields {
  @FieldResolver(() => CardSeries, { description: 'The series the card belongs to.' })
  series(@Root() card: CardRow): CardSeriesRow {
    return card.series;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer the card is issued to; null while not issued.' })
  customer(@Root() card: CardRow, @Ctx() ctx: RequestContext): Promise<CustomerRow | null> | null {
    return card.customerId === null ? null : customerById(ctx).load(card.customerId);
  }

  @FieldResolver(() => Store, { nullable: true, description: 'The store (till) the card is tagged to; null when none was named.' })
  store(@Root() card: CardRow, @Ctx() ctx: RequestContext): Promise<StoreRow | null> | null {
    return card.storeId === null ? null : storeById(ctx).load(card.storeId);
  }
}

@Resolver(() => CardSeries)
export class CardSeriesFields {
  @FieldResolver(() => LoyaltyProgram, { description: "The loyalty program the series' cards are linked to." })
  async program(@Root() series: CardSeriesRow, @Ctx() ctx: RequestContext): Promise<LoyaltyProgramRow> {
    const program = await programById(ctx).load(series.programId);
    if (!program) throw new Error(`Card series ${series.id} links to a missing program ${series.programId}`);
    return program;
  }

  @FieldResolver(() => Store, { nullable: true, description: 'The store the series is tagged to.' })
  store(@Root() series: CardSeriesRow, @Ctx() ctx: RequestContext): Promise<StoreRow | null> | null {
    return series.storeId === null ? null : storeById(ctx).load(series.storeId);
  }
}
