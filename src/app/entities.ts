import { ApiKey } from '../domain/auth/api-key.entity.js';
import { StaffIdentityProvider } from '../domain/auth/staff-idp.entity.js';
import { BadgeDefinition, EarnedBadge } from '../domain/badge/badge.entity.js';
import { Campaign, CampaignProgress } from '../domain/campaign/campaign.entity.js';
import { Card, CardSeries, CardStatusLabel } from '../domain/card/card.entity.js';
import { ChannelSubscription, Customer, CustomerExternalId, StatusLabel } from '../domain/customer/customer.entity.js';
import { ImportFile, ImportFileChunk, ImportJob, ImportMergeBatch, ImportRowIssue, ImportTemplate } from '../import/import.entity.js';
import { Incentive, IncentiveRedemption, IncentiveSeries } from '../domain/incentive/incentive.entity.js';
import { AuditEntry } from '../domain/audit/audit.entity.js';
import { AttachmentBlob, Interaction, InteractionAttachment, MessageSendSchedule } from '../domain/interaction/interaction.entity.js';
import { CustomerLifecycleEvent } from '../domain/lifecycle/lifecycle.entity.js';
import { Org, OrgUnit, Store, Till } from '../domain/org/org.entity.js';
import { MembershipActivity, ProgramMembership, SupplementaryProgram } from '../domain/partner-program/partner-program.entity.js';
import { OAuthClient, OAuthModel, OAuthOtp, OAuthSecret } from '../domain/oauth/oauth.entity.js';
import { IdempotencyKey } from '../domain/idempotency/idempotency.entity.js';
import { LoyaltyEnrollment, PointsAllocation, PointsLedgerEntry } from '../domain/points/points.entity.js';
import { LoyaltyProgram, Tier } from '../domain/program/program.entity.js';
import { TimelineEvent, TimelineView } from '../domain/timeline/timeline.entity.js';
import { Transaction, TransactionLineItem } from '../domain/transaction/transaction.entity.js';
import { UserGroup, UserGroupMember } from '../domain/user-group/user-group.entity.js';

/** Every entity of the graph, for the ORM and the migrator. */
export const entities = [
  Org, OrgUnit, Store, Till, ApiKey, StaffIdentityProvider,
  LoyaltyProgram, Tier,
  StatusLabel, Customer, CustomerExternalId, ChannelSubscription, CustomerLifecycleEvent,
  CardSeries, CardStatusLabel, Card,
  UserGroup, UserGroupMember,
  Transaction, TransactionLineItem,
  LoyaltyEnrollment, PointsLedgerEntry, PointsAllocation,
  IncentiveSeries, Incentive, IncentiveRedemption,
  BadgeDefinition, EarnedBadge,
  SupplementaryProgram, ProgramMembership, MembershipActivity,
  Interaction, InteractionAttachment, AttachmentBlob, MessageSendSchedule, TimelineEvent, TimelineView, Campaign, CampaignProgress,
  AuditEntry, IdempotencyKey,
  OAuthClient, OAuthModel, OAuthSecret, OAuthOtp,
  ImportTemplate, ImportFile, ImportFileChunk, ImportJob, ImportRowIssue, ImportMergeBatch,
];
