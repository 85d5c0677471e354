export { cardById, cardSeriesById, cardsOfCustomer } from './card.loaders.js';
export { Card, CardSeries, CardConnection } from './card.types.js';
