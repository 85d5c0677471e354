import { Field, ObjectType } from 'type-graphql';
import { connectionType } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';

@ObjectType({ description: "A customer's registration through one of the org's sources (e.g. WeChat Follow), from the Entity Life Cycle import." })
export class RegistrationEvent {
  @Field(() => String, { description: 'The org source the customer registered through.' })
  sourceId!: string;

  @Field(() => String, { description: 'What the customer registered for, e.g. FOLLOW or REGISTER.' })
  activity!: string;

  @Field(() => String, { description: 'The state of the activity, e.g. ACTIVE.' })
  state!: string;

  @Field(() => String, { description: 'Who recorded it at the source.' })
  addedBy!: string;

  @Field(() => String, { description: "The source's reference of the event (unique per source)." })
  referenceId!: string;

  @Field(() => DateTimeScalar, { description: 'When the source last changed it.' })
  updatedOn!: Date;
}

export const RegistrationEventConnection = connectionType(RegistrationEvent, 'RegistrationEvent');
