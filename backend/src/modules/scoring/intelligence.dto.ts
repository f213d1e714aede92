import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { FEATURE_NAMES } from './features';

export class StageConditionDto {
  @ApiProperty({ enum: FEATURE_NAMES }) @IsIn(FEATURE_NAMES) feature: (typeof FEATURE_NAMES)[number];
  @ApiProperty({ enum: ['gte', 'lte'] }) @IsIn(['gte', 'lte']) op: 'gte' | 'lte';
  @ApiProperty() @IsNumber() value: number;
}

export class StageDto {
  @ApiProperty({ example: 'evaluation' }) @IsString() @MaxLength(40) key: string;
  @ApiProperty({ example: 'Evaluation' }) @IsString() @MaxLength(60) label: string;
  @ApiProperty({ type: [StageConditionDto] })
  @IsArray()
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => StageConditionDto)
  conditions: StageConditionDto[];
  @ApiProperty({ enum: ['all', 'any'] }) @IsIn(['all', 'any']) match: 'all' | 'any';
}

export class GoalDto {
  @ApiProperty({ enum: ['event', 'stage'] }) @IsIn(['event', 'stage']) kind: 'event' | 'stage';
  @ApiPropertyOptional({ example: 'Trial Started' }) @IsOptional() @IsString() @MaxLength(200) event?: string;
  @ApiPropertyOptional({ example: 'purchase_intent' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  stage?: string;
}

export class IntelligenceSettingsRequest {
  @ApiProperty({ type: [StageDto] })
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => StageDto)
  stages: StageDto[];
  @ApiProperty({ type: GoalDto }) @ValidateNested() @Type(() => GoalDto) goal: GoalDto;
  @ApiProperty({ minimum: 1, maximum: 365 }) @IsInt() @Min(1) @Max(365) horizonDays: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) @IsNumber() @Min(0) @Max(1) minPrecision: number;
  @ApiProperty({ example: '0 3 * * 1', description: 'Five-field cron, UTC.' })
  @IsString()
  @MaxLength(100)
  retrainCron: string;
}

export class IntelligenceSettingsDto extends IntelligenceSettingsRequest {
  @ApiProperty({ type: [String], description: 'Features stage conditions may use.' }) features: string[];
}

export class StageSuggestionDto {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty() size: number;
  @ApiProperty() share: number;
  @ApiProperty({ description: 'Share of the cluster that converted within the horizon.' })
  conversionRate: number;
  @ApiProperty({ type: [String], description: 'Typical behaviour, in words.' }) typical: string[];
  @ApiProperty({ type: [StageConditionDto] }) conditions: StageConditionDto[];
  @ApiProperty({ enum: ['all', 'any'] }) match: 'all' | 'any';
}

export class StageDiscoveryDto {
  @ApiProperty() people: number;
  @ApiProperty() asOf: string;
  @ApiProperty({ type: [StageSuggestionDto] }) suggestions: StageSuggestionDto[];
}

export class CalibrationBinDto {
  @ApiProperty() lower: number;
  @ApiProperty() upper: number;
  @ApiProperty() count: number;
  @ApiProperty() meanPredicted: number;
  @ApiProperty() observedRate: number;
}

export class ThresholdDto {
  @ApiProperty() threshold: number;
  @ApiProperty({ type: Number, nullable: true }) precision: number | null;
  @ApiProperty({ type: Number, nullable: true }) recall: number | null;
  @ApiProperty() flaggedRate: number;
}

export class ImportanceDto {
  @ApiProperty() feature: string;
  @ApiProperty() label: string;
  @ApiProperty() importance: number;
}

export class TargetReportDto {
  @ApiProperty({ enum: ['logistic', 'gbdt'] }) kind: 'logistic' | 'gbdt';
  @ApiProperty() rows: number;
  @ApiProperty() positives: number;
  @ApiProperty() auc: number;
  @ApiProperty() prAuc: number;
  @ApiProperty() brier: number;
  @ApiProperty() logLoss: number;
  @ApiProperty({ type: [CalibrationBinDto] }) calibration: CalibrationBinDto[];
  @ApiProperty({ type: [ThresholdDto] }) thresholds: ThresholdDto[];
  @ApiProperty({ type: [ImportanceDto] }) importance: ImportanceDto[];
}

export class WindowDto {
  @ApiProperty() asOf: string;
  @ApiProperty() rows: number;
}

export class ComparisonDto {
  @ApiProperty() version: number;
  @ApiProperty() riskAuc: number;
  @ApiProperty() conversionAuc: number;
}

export class ModelVersionDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['candidate', 'active', 'retired', 'rejected'] }) status: string;
  @ApiProperty() decision: string;
  @ApiProperty() trainedAt: string;
  @ApiProperty() goal: string;
  @ApiProperty() horizonDays: number;
  @ApiProperty({ type: WindowDto }) trainWindow: WindowDto;
  @ApiProperty({ type: WindowDto }) evalWindow: WindowDto;
  @ApiProperty({ type: TargetReportDto }) risk: TargetReportDto;
  @ApiProperty({ type: TargetReportDto }) conversion: TargetReportDto;
  @ApiProperty({ type: ComparisonDto, nullable: true }) comparedWith: ComparisonDto | null;
}

export class DriftDto {
  @ApiProperty({
    description: 'Population stability index of current risk scores against the evaluation window.',
  })
  psi: number;
  @ApiProperty() people: number;
  @ApiProperty() verdict: string;
}

export class RetrainRunDto {
  @ApiProperty({ enum: ['running', 'finished'] }) state: 'running' | 'finished';
  @ApiProperty() message: string;
  @ApiProperty() at: string;
}

export class ModelCardDto {
  @ApiProperty({ type: ModelVersionDto, nullable: true }) active: ModelVersionDto | null;
  @ApiProperty({ type: [ModelVersionDto] }) versions: ModelVersionDto[];
  @ApiProperty({ type: DriftDto, nullable: true }) drift: DriftDto | null;
  @ApiProperty() retrainCron: string;
  @ApiProperty({ type: RetrainRunDto, nullable: true, description: 'How the latest retraining went.' })
  lastRetrain: RetrainRunDto | null;
}

export class RetrainStartedDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({ description: 'False when a run was already going; its id is returned.' }) started: boolean;
}

export class SafetyGateDto {
  @ApiProperty() threshold: number;
  @ApiProperty({ type: Number, nullable: true }) precision: number | null;
  @ApiProperty() minPrecision: number;
  @ApiProperty() allowed: boolean;
  @ApiProperty() reason: string;
}

export class StageCountDto {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty() people: number;
}
