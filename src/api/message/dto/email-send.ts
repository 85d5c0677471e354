import { Field, InputType, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../../enums.js';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import { MessagePriorityEnum } from '../../customer/customer.types.js';
import type { MessagePriority } from '../../../domain/customer/customer.entity.js';
import type { InteractionRow } from '../../../domain/interaction/interaction.rows.js';
import { FILE_ENCODING_TYPES, type FileEncodingType } from '../../../domain/message/email-rules.js';
import { Interaction } from '../../interaction/interaction.types.js';

export const FileEncodingTypeEnum = graphqlEnum(FILE_ENCODING_TYPES, 'FileEncodingType', "How an attachment's `fileData` is written.", {
  BASE64: 'Base64 of the file’s bytes; required for images (jpg, jpeg, png, gif).',
  NONE: 'The text of the file as is (sent as its UTF-8 bytes), e.g. for txt or csv.',
});

@InputType({ description: 'A file to attach to an email.' })
export class EmailAttachmentInput {
  @Field(() => String, { description: 'File name shown to the customer (at most 255 characters, no "/" or "\\").' })
  fileName!: string;

  @Field(() => String, { description: 'The file: base64 of its bytes (BASE64) or its text (NONE).' })
  fileData!: string;

  @Field(() => FileEncodingTypeEnum, {
    nullable: true,
    description: 'How `fileData` is written; absent means NONE. Images (jpg, jpeg, png, gif, by content type or extension) must be BASE64 (ATTACHMENT_ENCODING_REQUIRED).',
  })
  fileEncodingType?: FileEncodingType | null;

  @Field(() => String, { description: 'MIME type, e.g. `image/png`, `application/pdf`, `text/plain`. An image or PDF must start with that type’s bytes (ATTACHMENT_TYPE_MISMATCH).' })
  contentType!: string;
}

@InputType({ description: 'An email for a customer, found by any identifier.' })
export class EmailSendInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer; they must have an email address and must not have opted out of email at this priority.' })
  customer!: CustomerIdentifierInput;

  @Field(() => String, { description: 'Subject: one line, at most 500 characters.' })
  subject!: string;

  @Field(() => String, { nullable: true, description: 'HTML part (at most 500,000 characters); `html`, `text` or both.' })
  html?: string | null;

  @Field(() => String, { nullable: true, description: 'Plain-text part (at most 100,000 characters); `html`, `text` or both.' })
  text?: string | null;

  @Field(() => [EmailAttachmentInput], {
    nullable: true,
    description: "At most 10 files, together at most the org's `emailMaxAttachmentBytes` once decoded (and the request body at most 1 MB).",
  })
  attachments?: EmailAttachmentInput[] | null;

  @Field(() => MessagePriorityEnum, { description: 'TRANS (transactional) or BULK (promotional); the customer’s email consent is checked at this priority.' })
  priority!: MessagePriority;

  @Field(() => String, {
    nullable: true,
    description:
      "The org unit (concept) the email is sent for, by its code: the customer's email consent recorded for that unit governs, when there is one, else the org's (NOT_FOUND for a code the org does not have). Absent: the org's.",
  })
  orgUnitCode?: string | null;

  @Field(() => String, {
    description: 'Chosen by the client, unique per message: a repeat with the same key returns the first interaction and sends nothing.',
  })
  idempotencyKey!: string;
}

@ObjectType({ description: 'Result of `emailSend`.' })
export class EmailSendPayload {
  @Field(() => Interaction, { nullable: true, description: 'The message, QUEUED until a worker hands it to the mail server (or, for a repeated key, the first one).' })
  interaction?: InteractionRow | null;

  @Field(() => Boolean, { nullable: true, description: 'True when the idempotency key repeated an earlier request: nothing was sent this time.' })
  replayed?: boolean | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was sent; empty on success.' })
  userErrors!: UserError[];
}
