import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import type { JobRow } from '../jobs/jobs.repository';
import { INTENTS, type Intent } from './taxonomy-rules';

export class TaxonomyRuleDto {
  @ApiProperty({ enum: ['event', 'url'] })
  @IsIn(['event', 'url'])
  matchKind: 'event' | 'url';

  @ApiProperty({
    description: 'Case-insensitive; * matches anything. URL rules match the path, e.g. */pricing*.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  pattern: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(120) canonicalEvent: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(60) category: string;

  @ApiProperty({ enum: INTENTS })
  @IsIn(INTENTS)
  intent: Intent;
}

export class TaxonomyRulesRequest {
  @ApiProperty({ type: [TaxonomyRuleDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => TaxonomyRuleDto)
  rules: TaxonomyRuleDto[];
}

export class TaxonomyDto {
  @ApiProperty({ type: [TaxonomyRuleDto] }) rules: TaxonomyRuleDto[];
  @ApiProperty({ description: 'True while the workspace uses the built-in rules.' }) isDefault: boolean;
}

export class MappingDto {
  @ApiProperty({ nullable: true, type: String }) canonicalEvent: string | null;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({ nullable: true, type: String, enum: INTENTS }) intent: Intent | null;
}

export class PreviewRowDto {
  @ApiProperty() messageId: string;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
  @ApiProperty() type: string;
  @ApiProperty({ nullable: true, type: String }) event: string | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ type: MappingDto }) current: MappingDto;
  @ApiProperty({ type: MappingDto }) proposed: MappingDto;
}

export class JobStartedDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
}

export class JobDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) state: 'running' | 'completed' | 'failed';
  @ApiProperty() processed: number;
  @ApiProperty() total: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;

  static from(j: JobRow): JobDto {
    return {
      id: j.id,
      state: j.state,
      processed: j.processed,
      total: j.total,
      startedAt: new Date(j.startedAt).toISOString(),
      finishedAt: j.finishedAt ? new Date(j.finishedAt).toISOString() : null,
      error: j.error,
    };
  }
}
