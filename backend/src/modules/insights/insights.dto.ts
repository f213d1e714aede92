import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Interval } from '../../insights/wilson';
import { DIMENSIONS, type Dimension } from './insights.repository';

// ---------------------------------------------------------------- requests

export class InsightsQuery {
  @ApiPropertyOptional({ format: 'date', description: 'Only people first seen on or after this day (UTC).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Only people first seen before the end of this day (UTC).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'First-touch channel, e.g. "google / organic".' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  channel?: string;

  @ApiPropertyOptional({ description: 'Company size band, e.g. "51–200".' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  companySize?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  plan?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  region?: string;

  @ApiPropertyOptional({
    minimum: 3,
    maximum: 180,
    default: 30,
    description: 'Days without activity after which a person who has not converted counts as dropped off.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(3)
  @Max(180)
  inactiveDays?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Evaluate as of this time (default: now).' })
  @IsOptional()
  @IsISO8601()
  asOf?: string;
}

export class SplitQuery extends InsightsQuery {
  @ApiPropertyOptional({ enum: DIMENSIONS, description: 'Show one series per value of this dimension.' })
  @IsOptional()
  @IsIn(DIMENSIONS)
  split?: Dimension;
}

export class PathsQuery extends InsightsQuery {
  @ApiPropertyOptional({ enum: ['stage', 'touchpoint'], default: 'stage' })
  @IsOptional()
  @IsIn(['stage', 'touchpoint'])
  by?: 'stage' | 'touchpoint';

  @ApiPropertyOptional({ minimum: 3, maximum: 30, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(3)
  @Max(30)
  top?: number;
}

// ---------------------------------------------------------------- shared pieces

export class InsightsIntervalDto {
  @ApiProperty({ type: Number, nullable: true }) estimate: number | null;
  @ApiProperty({ type: Number, nullable: true }) lower: number | null;
  @ApiProperty({ type: Number, nullable: true }) upper: number | null;

  static from(i: Interval): InsightsIntervalDto {
    const f = (x: number) => (Number.isFinite(x) ? x : null);
    return { estimate: f(i.estimate), lower: f(i.lower), upper: f(i.upper) };
  }
}

export class InsightsStageDto {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
}

export class InsightsAppliedFiltersDto {
  @ApiProperty({ type: String, nullable: true, format: 'date' }) from: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) to: string | null;
  @ApiProperty({ type: String, nullable: true }) channel: string | null;
  @ApiProperty({ type: String, nullable: true }) companySize: string | null;
  @ApiProperty({ type: String, nullable: true }) plan: string | null;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
}

/** What every view was computed on, so the page can say so. */
export class InsightsMetaDto {
  @ApiProperty({ format: 'date-time' }) asOf: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) refreshedAt: string | null;
  @ApiProperty({ description: 'People matching the filters.' }) people: number;
  @ApiProperty({ type: String, nullable: true, description: 'What counts as converting.' })
  goal: string | null;
  @ApiProperty() horizonDays: number;
  @ApiProperty() inactiveDays: number;
  @ApiProperty({ type: [InsightsStageDto] }) stages: InsightsStageDto[];
  @ApiProperty({ type: InsightsAppliedFiltersDto }) filters: InsightsAppliedFiltersDto;
}

// ---------------------------------------------------------------- funnel

export class InsightsFunnelStepDto {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'People who reached this step.' }) reached: number;
  @ApiProperty({
    type: InsightsIntervalDto,
    nullable: true,
    description: 'Share of the previous step that got here.',
  })
  conversion: InsightsIntervalDto | null;
  @ApiProperty({ description: 'Share of the first step that got here.' }) fromStart: number;
  @ApiProperty({ description: 'People whose furthest stage is this one and who went quiet.' })
  droppedHere: number;
  @ApiProperty({ description: 'People whose furthest stage is this one and who are still active.' })
  stillHere: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Median days in this stage (people who left it).',
  })
  medianDays: number | null;
}

export class InsightsFunnelSeriesDto {
  @ApiProperty() segment: string;
  @ApiProperty() people: number;
  @ApiProperty() converted: number;
  @ApiProperty({ type: [InsightsFunnelStepDto] }) steps: InsightsFunnelStepDto[];
}

export class InsightsFunnelDto {
  @ApiProperty({ type: InsightsMetaDto }) meta: InsightsMetaDto;
  @ApiProperty() headline: string;
  @ApiProperty({ type: String, nullable: true, enum: DIMENSIONS }) split: Dimension | null;
  @ApiProperty({ type: InsightsFunnelSeriesDto, nullable: true }) overall: InsightsFunnelSeriesDto | null;
  @ApiProperty({ type: [InsightsFunnelSeriesDto] }) segments: InsightsFunnelSeriesDto[];
}

// ---------------------------------------------------------------- paths

export class InsightsSankeyNodeDto {
  @ApiProperty() id: string;
  @ApiProperty() step: number;
  @ApiProperty() state: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['channel', 'step', 'outcome', 'other'] }) kind:
    'channel' | 'step' | 'outcome' | 'other';
  @ApiProperty() value: number;
}

export class InsightsSankeyLinkDto {
  @ApiProperty() source: number;
  @ApiProperty() target: number;
  @ApiProperty() value: number;
}

export class InsightsTopPathDto {
  @ApiProperty({ type: [String] }) steps: string[];
  @ApiProperty({ enum: ['converted', 'dropped', 'active'] }) outcome: 'converted' | 'dropped' | 'active';
  @ApiProperty() people: number;
  @ApiProperty() share: number;
}

export class InsightsPathsDto {
  @ApiProperty({ type: InsightsMetaDto }) meta: InsightsMetaDto;
  @ApiProperty() headline: string;
  @ApiProperty({ enum: ['stage', 'touchpoint'] }) by: 'stage' | 'touchpoint';
  @ApiProperty({ type: [InsightsSankeyNodeDto] }) nodes: InsightsSankeyNodeDto[];
  @ApiProperty({ type: [InsightsSankeyLinkDto] }) links: InsightsSankeyLinkDto[];
  @ApiProperty({ type: [InsightsTopPathDto] }) paths: InsightsTopPathDto[];
  @ApiProperty({ description: 'People on routes outside the top N, grouped as "Other paths".' })
  otherPeople: number;
}

// ---------------------------------------------------------------- moments

export class InsightsMomentDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['single', 'combination'] }) kind: 'single' | 'combination';
  @ApiProperty() label: string;
  @ApiProperty({ description: 'The finding in one plain sentence.' }) sentence: string;
  @ApiProperty() withPeople: number;
  @ApiProperty() withConverted: number;
  @ApiProperty() withoutPeople: number;
  @ApiProperty() withoutConverted: number;
  @ApiProperty({ type: InsightsIntervalDto, description: 'Conversion with ÷ without, 95% interval.' })
  lift: InsightsIntervalDto;
  @ApiProperty() pValue: number;
  @ApiProperty({ description: 'Benjamini–Hochberg adjusted p-value.' }) qValue: number;
  @ApiProperty() significant: boolean;
}

export class InsightsMomentsDto {
  @ApiProperty({ type: InsightsMetaDto }) meta: InsightsMetaDto;
  @ApiProperty() headline: string;
  @ApiProperty({ description: 'People whose horizon has passed (first seen at least horizonDays ago).' })
  eligible: number;
  @ApiProperty() converted: number;
  @ApiProperty({ type: Number, nullable: true }) baselineRate: number | null;
  @ApiProperty({ description: 'Touchpoints and combinations tested (the Benjamini–Hochberg family).' })
  tested: number;
  @ApiProperty({ type: [String], description: 'The significant findings in plain sentences.' })
  findings: string[];
  @ApiProperty({ type: [InsightsMomentDto] }) moments: InsightsMomentDto[];
}

// ---------------------------------------------------------------- attribution

export class InsightsAttributionChannelDto {
  @ApiProperty() channel: string;
  @ApiProperty({ description: 'Relative drop in conversion probability without this channel.' })
  removalEffect: number;
  @ApiProperty({ description: 'Conversions credited by the Markov model.' }) markov: number;
  @ApiProperty() firstTouch: number;
  @ApiProperty() lastTouch: number;
  @ApiProperty() linear: number;
}

export class InsightsChannelQualityDto {
  @ApiProperty() channel: string;
  @ApiProperty({ description: 'People whose first touch was this channel.' }) people: number;
  @ApiProperty() conversions: number;
  @ApiProperty({ type: InsightsIntervalDto }) conversionRate: InsightsIntervalDto;
  @ApiProperty({ type: Number, nullable: true }) medianDaysToConvert: number | null;
  @ApiProperty({ enum: ['above', 'below', 'average'], description: 'Conversion rate against everyone else.' })
  quality: 'above' | 'below' | 'average';
}

export class InsightsAttributionDto {
  @ApiProperty({ type: InsightsMetaDto }) meta: InsightsMetaDto;
  @ApiProperty() headline: string;
  @ApiProperty() journeys: number;
  @ApiProperty() conversions: number;
  @ApiProperty({ description: 'Conversion probability of the fitted Markov chain.' }) baseline: number;
  @ApiProperty({ type: [InsightsAttributionChannelDto] }) channels: InsightsAttributionChannelDto[];
  @ApiProperty({ type: [InsightsChannelQualityDto] }) quality: InsightsChannelQualityDto[];
}

// ---------------------------------------------------------------- time to drop-off

export class InsightsSurvivalPointDto {
  @ApiProperty() day: number;
  @ApiProperty() survival: number;
  @ApiProperty({ type: Number, nullable: true }) lower: number | null;
  @ApiProperty({ type: Number, nullable: true }) upper: number | null;
  @ApiProperty() atRisk: number;
}

export class InsightsSurvivalSegmentDto {
  @ApiProperty() segment: string;
  @ApiProperty() people: number;
  @ApiProperty() droppedOff: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Day by which half have dropped off.' })
  medianDays: number | null;
  @ApiProperty({ type: [InsightsSurvivalPointDto] }) points: InsightsSurvivalPointDto[];
}

export class InsightsLogRankDto {
  @ApiProperty() chiSquare: number;
  @ApiProperty() df: number;
  @ApiProperty({ type: Number, nullable: true }) pValue: number | null;
}

export class InsightsDropoffDto {
  @ApiProperty({ type: InsightsMetaDto }) meta: InsightsMetaDto;
  @ApiProperty() headline: string;
  @ApiProperty({ enum: DIMENSIONS }) split: Dimension;
  @ApiProperty({ type: InsightsSurvivalSegmentDto, nullable: true })
  overall: InsightsSurvivalSegmentDto | null;
  @ApiProperty({ type: [InsightsSurvivalSegmentDto] }) segments: InsightsSurvivalSegmentDto[];
  @ApiProperty({ type: InsightsLogRankDto, nullable: true }) logRank: InsightsLogRankDto | null;
}

// ---------------------------------------------------------------- what changed

export class InsightsPeriodDto {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
}

export class InsightsStageMixRowDto {
  @ApiProperty() stage: string;
  @ApiProperty() label: string;
  @ApiProperty() current: number;
  @ApiProperty() previous: number;
  @ApiProperty() currentShare: number;
  @ApiProperty() previousShare: number;
  @ApiProperty({ description: 'Change in share, percentage points.' }) changePoints: number;
}

export class InsightsStageMixDto {
  @ApiProperty({ type: InsightsPeriodDto }) current: InsightsPeriodDto;
  @ApiProperty({ type: InsightsPeriodDto }) previous: InsightsPeriodDto;
  @ApiProperty({ type: Number, nullable: true }) psi: number | null;
  @ApiProperty({ type: [InsightsStageMixRowDto] }) rows: InsightsStageMixRowDto[];
}

export class InsightsDriftFeatureDto {
  @ApiProperty() feature: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: Number, nullable: true }) psi: number | null;
  @ApiProperty({ enum: ['stable', 'drifting', 'shifted', 'unknown'] })
  status: 'stable' | 'drifting' | 'shifted' | 'unknown';
  @ApiProperty({ type: Number, nullable: true }) currentMean: number | null;
  @ApiProperty({ type: Number, nullable: true }) previousMean: number | null;
}

export class InsightsDriftDto {
  @ApiProperty({ type: InsightsPeriodDto, description: 'Cohort of people first seen in this period.' })
  current: InsightsPeriodDto;
  @ApiProperty({ type: InsightsPeriodDto }) previous: InsightsPeriodDto;
  @ApiProperty() currentPeople: number;
  @ApiProperty() previousPeople: number;
  @ApiProperty({ type: [InsightsDriftFeatureDto] }) features: InsightsDriftFeatureDto[];
}

export class InsightsAnomalyDto {
  @ApiProperty() stage: string;
  @ApiProperty() label: string;
  @ApiProperty() currentDropped: number;
  @ApiProperty() currentActive: number;
  @ApiProperty() previousDropped: number;
  @ApiProperty() previousActive: number;
  @ApiProperty({ type: InsightsIntervalDto, description: 'Current minus previous drop-off rate.' })
  difference: InsightsIntervalDto;
  @ApiProperty({ type: Number, nullable: true }) pValue: number | null;
  @ApiProperty({ type: Number, nullable: true }) qValue: number | null;
  @ApiProperty() flagged: boolean;
}

export class InsightsAnomaliesDto {
  @ApiProperty({ type: InsightsPeriodDto, description: 'Last activity in this period, silent since.' })
  current: InsightsPeriodDto;
  @ApiProperty({ type: InsightsPeriodDto }) previous: InsightsPeriodDto;
  @ApiProperty({ type: [InsightsAnomalyDto] }) stages: InsightsAnomalyDto[];
}

export class InsightsChangesDto {
  @ApiProperty({ type: InsightsMetaDto }) meta: InsightsMetaDto;
  @ApiProperty() headline: string;
  @ApiProperty({ type: [String] }) findings: string[];
  @ApiProperty({ type: InsightsStageMixDto }) stageMix: InsightsStageMixDto;
  @ApiProperty({ type: InsightsDriftDto }) drift: InsightsDriftDto;
  @ApiProperty({ type: InsightsAnomaliesDto }) anomalies: InsightsAnomaliesDto;
}

// ---------------------------------------------------------------- overview

export class InsightsEvidenceDto {
  @ApiProperty({
    enum: ['funnel', 'paths', 'moments', 'attribution', 'dropoff', 'changes', 'prospects'],
  })
  view: 'funnel' | 'paths' | 'moments' | 'attribution' | 'dropoff' | 'changes' | 'prospects';
  @ApiProperty() label: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Query parameters that open the view on the evidence.',
  })
  query: Record<string, string>;
}

export class InsightsOverviewAnswerDto {
  @ApiProperty({ enum: ['dropoff', 'behaviours', 'channels', 'changes', 'segment'] })
  id: 'dropoff' | 'behaviours' | 'channels' | 'changes' | 'segment';
  @ApiProperty() question: string;
  @ApiProperty() answer: string;
  @ApiProperty({ type: String, nullable: true }) detail: string | null;
  @ApiProperty({ enum: ['answer', 'no-data'] }) status: 'answer' | 'no-data';
  @ApiProperty({ type: InsightsEvidenceDto }) evidence: InsightsEvidenceDto;
}

export class InsightsOverviewDto {
  @ApiProperty({ type: InsightsMetaDto }) meta: InsightsMetaDto;
  @ApiProperty({ type: [InsightsOverviewAnswerDto] }) answers: InsightsOverviewAnswerDto[];
}

// ---------------------------------------------------------------- filter options

export class InsightsOptionDto {
  @ApiProperty() value: string;
  @ApiProperty() people: number;
}

export class InsightsOptionsDto {
  @ApiProperty({ type: [InsightsOptionDto] }) channel: InsightsOptionDto[];
  @ApiProperty({ type: [InsightsOptionDto] }) companySize: InsightsOptionDto[];
  @ApiProperty({ type: [InsightsOptionDto] }) plan: InsightsOptionDto[];
  @ApiProperty({ type: [InsightsOptionDto] }) region: InsightsOptionDto[];
  @ApiProperty({ type: [InsightsStageDto] }) stages: InsightsStageDto[];
  @ApiProperty({ type: String, nullable: true }) goal: string | null;
  @ApiProperty() horizonDays: number;
  @ApiProperty() people: number;
  @ApiProperty() staged: number;
  @ApiProperty() converted: number;
  @ApiProperty() scored: number;
  @ApiProperty({ type: InsightsPeriodDto, nullable: true }) firstSeen: InsightsPeriodDto | null;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) refreshedAt: string | null;
}
