import { InteractionFields } from './interaction.fields.js';
import { CustomerInteractionFields } from './customer-interactions.fields.js';

export const interactionResolvers = [InteractionFields, CustomerInteractionFields] as const;
export { interactionById, interactionsOfCustomer } from './interaction.loaders.js';
export { Interaction, InteractionChannelEnum, InteractionConnection, InteractionStatusEnum } from './interaction.types.js';
export { interactionSortValue } from '../../domain/interaction/interaction.rows.js';
export type { InteractionRow } from '../../domain/interaction/interaction.rows.js';
