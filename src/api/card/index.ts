import { CardFields, CardSeriesFields } from './card.fields.js';
import { CardResolver } from './card.resolver.js';

export const cardResolvers = [CardResolver, CardFields, CardSeriesFields] as const;
export { cardById, cardSeriesById, cardsOfCustomer } from './card.loaders.js';
export { Card, CardSeries, CardConnection } from './card.types.js';
