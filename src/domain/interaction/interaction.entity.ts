import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer, MESSAGE_PRIORITIES } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

export const INTERACTION_CHANNELS = ['SMS', 'EMAIL', 'PUSH', 'WHATSAPP', 'LINE'] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];

export const INTERACTION_STATUSES = ['QUEUED', 'SENT', 'DELIVERED', 'OPENED', 'FAILED'] as const;
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];

/** How an SMS's text is encoded: the GSM 03.38 7-bit alphabet, or UCS-2 for any other character. */
export const SMS_ENCODINGS = ['GSM_7', 'UCS_2'] as const;
export type SmsEncoding = (typeof SMS_ENCODINGS)[number];

/** Why an SMS went out under the org's default sender id instead of the one asked for. */
export const SENDER_FALLBACKS = ['NONE_GIVEN', 'NOT_CONFIGURED'] as const;
export type SenderFallback = (typeof SENDER_FALLBACKS)[number];

/** What an interaction records of each attachment. */
export interface InteractionAttachmentSummary {
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
}

/** A message sent to a customer. Its times are shown in the org's time zone. */
/** The channels whose sends an org may rate-limit. */
export const SCHEDULED_CHANNELS = ['SMS', 'EMAIL'] as const;

export const Interaction = defineEntity({
  name: 'Interaction',
  indexes: [{ properties: ['org', 'customer', 'sentAt'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    customer: () => p.manyToOne(Customer),
    channel: p.enum(() => INTERACTION_CHANNELS),
    /** The sender id the message went out under. */
    senderId: p.string().length(100),
    /** The sender id the caller asked for; null when none was asked for (and on messages recorded before senders were chosen). */
    requestedSenderId: p.string().length(100).nullable(),
    /** Why `senderId` is the org default rather than the one asked for; null when it is the one asked for. */
    senderFallback: p.enum(() => SENDER_FALLBACKS).nullable(),
    priority: p.enum(() => MESSAGE_PRIORITIES).nullable(),
    /** Where the message went (a mobile for SMS), as it was when the message was accepted. */
    recipient: p.string().length(254).nullable(),
    encoding: p.enum(() => SMS_ENCODINGS).nullable(),
    /** Length in the encoding's units: GSM-7 septets or UCS-2 code units. */
    contentLength: p.integer().nullable(),
    segments: p.integer().nullable(),
    subject: p.string().length(500).nullable(),
    /** The plain text (for an email, its text part; '' when it has only HTML). */
    content: p.text(),
    /**
     * The text actually handed to the gateway when it differs from `content`: a sign-in code goes
     * out here while `content` (what member care sees) shows it masked. Cleared once sent.
     */
    secretContent: p.text().nullable(),
    /** An email's HTML part. */
    html: p.text().nullable(),
    /** An email's attachments, `[{ name, contentType, size }]`; their bytes are in `interaction_attachment`. */
    attachments: p.json<InteractionAttachmentSummary[]>().nullable(),
    status: p.enum(() => INTERACTION_STATUSES),
    /** When the gateway took the message; until then (queued or failed) when it was accepted, so lists keep their order. */
    sentAt: p.datetime(3),
    queuedAt: p.datetime(3).nullable(),
    deliveredAt: p.datetime(3).nullable(),
    failedAt: p.datetime(3).nullable(),
    failureReason: p.string().length(500).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IInteraction = InferEntity<typeof Interaction>;

/**
 * The bytes of an email attachment, kept once per org and content (keyed by their SHA-256); every
 * attachment with those bytes names it. A blob never changes.
 */
export const AttachmentBlob = defineEntity({
  name: 'AttachmentBlob',
  properties: {
    org: () => p.manyToOne(Org).primary(),
    sha256: p.string().length(64).primary(),
    sizeBytes: p.integer(),
    data: p.blob(),
    createdAt: p.datetime(3).defaultRaw('now()'),
  },
});

/** An email's attachment: its name and type, and the blob holding its bytes (kept after sending, for the record). */
export const InteractionAttachment = defineEntity({
  name: 'InteractionAttachment',
  uniques: [{ properties: ['org', 'interaction', 'position'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    interaction: () => p.manyToOne(Interaction),
    position: p.integer(),
    fileName: p.string().length(255),
    contentType: p.string().length(100),
    sizeBytes: p.integer(),
    blob: () => p.manyToOne(AttachmentBlob).joinColumns('org_id', 'sha256').ownColumns('sha256'),
  },
});
export type IInteractionAttachment = InferEntity<typeof InteractionAttachment>;

/**
 * An org's send schedule for one channel, kept when the org limits its send rate: the time the
 * next message may go out. Sends claim slots from it (see `claimSendSlots`).
 */
export const MessageSendSchedule = defineEntity({
  name: 'MessageSendSchedule',
  uniques: [{ properties: ['org', 'channel'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    channel: p.enum(() => SCHEDULED_CHANNELS),
    nextAt: p.datetime(3),
  },
});
export type IMessageSendSchedule = InferEntity<typeof MessageSendSchedule>;
