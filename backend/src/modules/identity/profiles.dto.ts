import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { LimitQuery } from '../../common/http/limit.query';
import { EventDto } from '../events/events.dto';
import type { ProfileListRow, ProspectSort } from './profiles.repository';

const CONSENT = ['unknown', 'granted', 'denied'];
const SORTS: ProspectSort[] = ['recent', 'risk', 'stage', 'trend', 'owner'];

export class ProfilesQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'Email, name or any identifier (part of it).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    enum: SORTS,
    default: 'recent',
    description:
      'recent: last seen first; risk: highest drop-off risk first; stage: furthest stage first; trend: risk rising most over 7 days first; owner: by CRM owner.',
  })
  @IsOptional()
  @IsIn(SORTS)
  sort?: ProspectSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'Reverses the default direction of the sort.' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export class TimelineQuery extends LimitQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only events before this time (for paging back).',
  })
  @IsOptional()
  @IsISO8601()
  before?: string;
}

/** A stage key's label in the workspace's stage settings (the key itself for a stage no longer defined). */
export type StageLabel = (key: string) => string;

export class ProfileSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) accountName: string | null;
  @ApiProperty({ format: 'date-time' }) firstSeenAt: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt: string;
  @ApiProperty({ enum: CONSENT }) consent: 'unknown' | 'granted' | 'denied';
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Current journey stage (key).' }) stage:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) stageLabel: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) stageIndex: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Drop-off risk, 0–1.' }) risk:
    number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description:
      'Risk of the last score minus that of the last score at least 7 days before it (positive: rising).',
  })
  riskTrend: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'CRM owner id of the contact or lead.' })
  owner: string | null;

  static from(r: ProfileListRow, stageLabel: StageLabel): ProfileSummaryDto {
    return {
      id: r.id,
      email: r.email,
      name: r.name,
      accountName: r.accountName,
      firstSeenAt: new Date(r.firstSeenAt).toISOString(),
      lastSeenAt: new Date(r.lastSeenAt).toISOString(),
      consent: r.consent,
      stage: r.stage,
      stageLabel: r.stage ? stageLabel(r.stage) : null,
      stageIndex: r.stageIndex,
      risk: r.risk,
      riskTrend: r.riskTrend,
      owner: r.owner,
    };
  }
}

export class AccountRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) domain: string | null;
}

export class IdentityDto {
  @ApiProperty({ enum: ['user_id', 'anonymous_id', 'email', 'hubspot', 'salesforce'] }) kind: string;
  @ApiProperty() value: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class MergeDto {
  @ApiProperty({ format: 'uuid' }) fromProfileId: string;
  @ApiProperty({ format: 'uuid' }) intoProfileId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) mergedAt: string;
}

export class ProfileDto extends ProfileSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) traits: Record<string, unknown>;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Set when this profile was merged into another.',
  })
  mergedInto: string | null;
  @ApiProperty({ type: AccountRefDto, nullable: true }) account: AccountRefDto | null;
  @ApiProperty({ type: [IdentityDto] }) identities: IdentityDto[];
  @ApiProperty({ type: [MergeDto] }) merges: MergeDto[];
}

export class TimelineEventDto extends EventDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) properties: Record<string, unknown>;
}

export class ProspectStageChangeDto {
  @ApiProperty({ nullable: true, type: String }) from: string | null;
  @ApiProperty({ nullable: true, type: String }) fromLabel: string | null;
  @ApiProperty() to: string;
  @ApiProperty() toLabel: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class ProspectStageDto {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, type: Number }) index: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) enteredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

export class ProspectScoreDto {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Drop-off risk, 0–1.' }) risk:
    number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Conversion propensity, 0–1.' })
  conversion: number | null;
  @ApiProperty({ type: [String], description: 'Top reasons, most important first.' }) reasons: string[];
  @ApiProperty({ format: 'date-time' }) scoredAt: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Risk of the last score at least 7 days before this one.',
  })
  riskBefore: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Risk of this score minus riskBefore.' }) trend:
    number | null;
}

export class ProspectScorePointDto {
  @ApiProperty({ format: 'date-time' }) scoredAt: string;
  @ApiProperty({ nullable: true, type: Number }) risk: number | null;
  @ApiProperty({ nullable: true, type: Number }) conversion: number | null;
  @ApiProperty() stage: string;
}

export class ProspectCrmLinkDto {
  @ApiProperty({ enum: ['hubspot', 'salesforce'] }) provider: 'hubspot' | 'salesforce';
  @ApiProperty() objectType: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ enum: ['person', 'account', 'deal'] }) via: 'person' | 'account' | 'deal';
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) stage: string | null;
  @ApiProperty({ nullable: true, type: String }) owner: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Opens the record in the CRM.' }) url:
    string | null;
}

/** Where a prospect stands: stage and its history, score with reasons and trend, and their CRM records. */
export class ProfileJourneyDto {
  @ApiProperty({ type: ProspectStageDto, nullable: true }) stage: ProspectStageDto | null;
  @ApiProperty({ type: [ProspectStageChangeDto], description: 'Newest first.' })
  stageHistory: ProspectStageChangeDto[];
  @ApiProperty({ type: ProspectScoreDto, nullable: true }) score: ProspectScoreDto | null;
  @ApiProperty({ type: [ProspectScorePointDto], description: 'The last 90 days, oldest first.' })
  scoreHistory: ProspectScorePointDto[];
  @ApiProperty({ type: [ProspectCrmLinkDto] }) crm: ProspectCrmLinkDto[];
}
