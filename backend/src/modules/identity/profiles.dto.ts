import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { LimitQuery } from '../../common/http/limit.query';
import { EventDto } from '../events/events.dto';
import type { ProfileListRow } from './profiles.repository';

const CONSENT = ['unknown', 'granted', 'denied'];

export class ProfilesQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'Email, name or any identifier (part of it).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
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

export class ProfileSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) accountName: string | null;
  @ApiProperty({ format: 'date-time' }) firstSeenAt: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt: string;
  @ApiProperty({ enum: CONSENT }) consent: 'unknown' | 'granted' | 'denied';

  static from(r: ProfileListRow): ProfileSummaryDto {
    return {
      id: r.id,
      email: r.email,
      name: r.name,
      accountName: r.accountName,
      firstSeenAt: new Date(r.firstSeenAt).toISOString(),
      lastSeenAt: new Date(r.lastSeenAt).toISOString(),
      consent: r.consent,
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
