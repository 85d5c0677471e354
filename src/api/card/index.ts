import { CardFields, CardSeriesFields } from './card.fields.js';
import { CardResolver } from './card.resolver.js';
import { CustomerCardFields } from './customer-cards.fields.js';

export const cardResolvers = [CardResolver, CardFields, CardSeriesFields, CustomerCardFields] as const;
export { cardById, cardSeriesById, cardsOfCustomer } from './card.loaders.js';
export { Card, CardSeries, CardConnection } from './card.types.js';
