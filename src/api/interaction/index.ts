export { interactionById, interactionsOfCustomer } from './interaction.loaders.js';
export { Interaction, InteractionChannelEnum, InteractionConnection, InteractionStatusEnum } from './interaction.types.js';
export { interactionSortValue } from '../../domain/interaction/interaction.rows.js';
export type { InteractionRow } from '../../domain/interaction/interaction.rows.js';
