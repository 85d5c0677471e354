import { ApiKey } from '../modules/auth/api-key.entity.js';
import { BadgeDefinition, EarnedBadge } from '../modules/badge/badge.entity.js';
import { Campaign, CampaignProgress } from '../modules/campaign/campaign.entity.js';
import { Card, CardSeries, CardStatusLabel } from '../modules/card/card.entity.js';
import { ChannelSubscription, Customer, CustomerExternalId, StatusLabel } from '../modules/customer/customer.entity.js';
import { ImportFile, ImportFileChunk, ImportJob, ImportMergeBatch, ImportRowIssue, ImportTemplate } from '../modules/import/import.entity.js';
import { Incentive, IncentiveRedemption, IncentiveSeries } from '../modules/incentive/incentive.entity.js';
import { AuditEntry } from '../modules/audit/audit.entity.js';
import { Interaction } from '../modules/interaction/interaction.entity.js';
import { CustomerLifecycleEvent } from '../modules/lifecycle/lifecycle.entity.js';
import { Org, OrgUnit, Store, Till } from '../modules/org/org.entity.js';
import { MembershipActivity, ProgramMembership, SupplementaryProgram } from '../modules/partner-program/partner-program.entity.js';
import { IdempotencyKey } from '../modules/idempotency/idempotency.entity.js';
import { LoyaltyEnrollment, PointsAllocation, PointsLedgerEntry } from '../modules/points/points.entity.js';
import { LoyaltyProgram, Tier } from '../modules/program/program.entity.js';
import { TimelineEvent } from '../modules/timeline/timeline.entity.js';
import { Transaction, TransactionLineItem } from '../modules/transaction/transaction.entity.js';
import { UserGroup, UserGroupMember } from '../modules/user-group/user-group.entity.js';

/** Every entity of the graph, for the ORM and the migrator. */
export const entities = [
  Org, OrgUnit, Store, Till, ApiKey,
  LoyaltyProgram, Tier,
  StatusLabel, Customer, CustomerExternalId, ChannelSubscription, CustomerLifecycleEvent,
  CardSeries, CardStatusLabel, Card,
  UserGroup, UserGroupMember,
  Transaction, TransactionLineItem,
  LoyaltyEnrollment, PointsLedgerEntry, PointsAllocation,
  IncentiveSeries, Incentive, IncentiveRedemption,
  BadgeDefinition, EarnedBadge,
  SupplementaryProgram, ProgramMembership, MembershipActivity,
  Interaction, TimelineEvent, Campaign, CampaignProgress,
  AuditEntry, IdempotencyKey,
  ImportTemplate, ImportFile, ImportFileChunk, ImportJob, ImportRowIssue, ImportMergeBatch,
];
