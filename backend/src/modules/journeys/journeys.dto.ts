import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { mergeFieldProblem } from '@cairn/workflows';
import type { SentEmailRow } from './email-delivery';
import type { EmailTemplateRow } from './email-templates.repository';
import type { JourneyListRow, JourneyRow, VersionRow } from './journeys.repository';

const STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

@ValidatorConstraint({ name: 'mergeFields' })
class MergeFields implements ValidatorConstraintInterface {
  private problem: string | null = null;
  validate(value: unknown): boolean {
    this.problem = typeof value === 'string' ? mergeFieldProblem(value) : null;
    return this.problem === null;
  }
  defaultMessage(): string {
    return `$property: ${this.problem ?? 'has a malformed merge field'}`;
  }
}

// ------------------------------------------------------------------------------------------------ journeys

export class CreateJourneyRequest {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(120) name: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;
}

export class JourneyCreatedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}

export class JourneySummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: STATUSES }) status: (typeof STATUSES)[number];
  @ApiProperty({ nullable: true, type: Number, description: 'The live version; null until first published.' })
  currentVersion: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) currentVersionId: string | null;
  @ApiProperty({ description: 'People on the path now.' }) inside: number;
  @ApiProperty({ description: 'Enrolments ever.' }) enrolled: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(r: JourneyListRow): JourneySummaryDto {
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      status: r.status,
      currentVersion: r.currentVersion,
      currentVersionId: r.currentVersionId,
      inside: r.inside,
      enrolled: r.enrolled,
      updatedAt: iso(r.updatedAt)!,
    };
  }
}

export class ValidationErrorDto {
  @ApiPropertyOptional() nodeId?: string;
  @ApiPropertyOptional() edgeId?: string;
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class VersionSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
}

export class JourneyDetailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: STATUSES }) status: (typeof STATUSES)[number];
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) currentVersionId: string | null;
  @ApiProperty({ nullable: true, type: Number }) currentVersion: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The canvas graph (React Flow nodes and edges, optional viewport and settings).',
  })
  draft: Record<string, unknown>;
  @ApiProperty({ description: 'Send it back as baseRevision when saving, to catch concurrent edits.' })
  draftRevision: number;
  @ApiProperty({ format: 'date-time' }) draftUpdatedAt: string;
  @ApiProperty({ type: [ValidationErrorDto], description: 'What stops the draft from being published.' })
  errors: ValidationErrorDto[];
  @ApiProperty({ type: [VersionSummaryDto] }) versions: VersionSummaryDto[];

  static from(
    j: JourneyRow,
    versions: Omit<VersionRow, 'definition' | 'canvas'>[],
    errors: ValidationErrorDto[],
  ): JourneyDetailDto {
    return {
      id: j.id,
      name: j.name,
      description: j.description,
      status: j.status,
      currentVersionId: j.currentVersionId,
      currentVersion: j.currentVersion,
      draft: j.draft as unknown as Record<string, unknown>,
      draftRevision: j.draftRevision,
      draftUpdatedAt: iso(j.draftUpdatedAt)!,
      errors,
      versions: versions.map((v) => ({ id: v.id, version: v.version, publishedAt: iso(v.publishedAt)! })),
    };
  }
}

export class SaveDraftRequest {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The canvas graph.' })
  @IsObject()
  graph: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'The revision the edit started from; a newer saved one is a conflict.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  baseRevision?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(120) name?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;
}

export class DraftSavedDto {
  @ApiProperty() revision: number;
  @ApiProperty({ format: 'date-time' }) savedAt: string;
  @ApiProperty({ type: [ValidationErrorDto] }) errors: ValidationErrorDto[];
}

export class JourneyChangeDto {
  @ApiProperty({
    enum: ['trigger', 'settings', 'entry', 'step_added', 'step_removed', 'step_changed', 'step_rewired'],
  })
  kind: string;
  @ApiPropertyOptional() nodeId?: string;
  @ApiProperty() summary: string;
}

export class PublishPreviewDto {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: [ValidationErrorDto] }) errors: ValidationErrorDto[];
  @ApiProperty({ type: [JourneyChangeDto], description: 'What changes since the live version.' })
  changes: JourneyChangeDto[];
  @ApiProperty() nextVersion: number;
}

export class PublishedDto {
  @ApiProperty({ format: 'uuid' }) versionId: string;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: Number }) previousVersion: number | null;
  @ApiProperty({ type: [JourneyChangeDto] }) changes: JourneyChangeDto[];
  @ApiProperty({ description: 'What happens to people already inside.' }) effect: string;
}

export class ControlResultDto {
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ description: 'People on the path when the change was made.' }) inside: number;
  @ApiProperty({ description: 'Running workflows told of the change.' }) signalled: number;
  @ApiProperty({ description: 'What happens to people already inside, in words.' }) effect: string;
}

export class NodeStatsDto {
  @ApiProperty() nodeId: string;
  @ApiProperty({ description: 'Times prospects reached this step.' }) entered: number;
  @ApiProperty({ description: 'Prospects at this step now.' }) waiting: number;
  @ApiProperty({ description: 'Prospects who passed this step and converted.' }) converted: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'Actions of this step by outcome (done, skipped, failed, pending).',
  })
  actions: Record<string, number>;
}

export class ArmDto {
  @ApiProperty() enrolled: number;
  @ApiProperty() converted: number;
  @ApiProperty({ nullable: true, type: Number }) rate: number | null;
}

export class IntervalDto {
  @ApiProperty() estimate: number;
  @ApiProperty() lower: number;
  @ApiProperty() upper: number;
}

export class HoldoutDto {
  @ApiProperty({ type: ArmDto }) treatment: ArmDto;
  @ApiProperty({ type: ArmDto }) control: ArmDto;
  @ApiProperty({
    type: IntervalDto,
    nullable: true,
    description: 'Treatment minus control conversion (Newcombe interval); null until both arms have people.',
  })
  uplift: IntervalDto | null;
  @ApiProperty() confidence: number;
}

export class TotalsDto {
  @ApiProperty() enrolled: number;
  @ApiProperty() inside: number;
  @ApiProperty() converted: number;
}

export class JourneyStatsDto {
  @ApiProperty({ type: [NodeStatsDto] }) nodes: NodeStatsDto[];
  @ApiProperty({ type: TotalsDto }) totals: TotalsDto;
  @ApiProperty({ type: HoldoutDto }) holdout: HoldoutDto;
}

export class VersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) definition: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) canvas: Record<string, unknown>;

  static from(v: VersionRow): VersionDto {
    return {
      id: v.id,
      version: v.version,
      publishedAt: iso(v.publishedAt)!,
      definition: v.definition as unknown as Record<string, unknown>,
      canvas: v.canvas as unknown as Record<string, unknown>,
    };
  }
}

// ------------------------------------------------------------------------------------- templates and mail

export class EmailTemplateRequest {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(120) name: string;
  @ApiProperty({ description: 'Merge fields such as {{first_name}} or {{account.name}}.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Validate(MergeFields)
  subject: string;
  @ApiProperty({ description: 'HTML; merge-field values are escaped.' })
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  @Validate(MergeFields)
  body: string;
}

export class EmailTemplateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(t: EmailTemplateRow): EmailTemplateDto {
    return { id: t.id, name: t.name, subject: t.subject, body: t.body, updatedAt: iso(t.updatedAt)! };
  }
}

export class PreviewRequest {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) @Validate(MergeFields) subject: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100_000) @Validate(MergeFields) body: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The prospect whose traits and account fill the fields.',
  })
  @IsOptional()
  @IsUUID()
  profileId?: string;
}

export class PreviewDto {
  @ApiProperty({ nullable: true, type: String }) to: string | null;
  @ApiProperty() subject: string;
  @ApiProperty() html: string;
  @ApiProperty({ type: [String], description: 'Merge fields with no value for this prospect.' })
  missing: string[];
}

export class TestSendRequest extends PreviewRequest {
  @ApiProperty({ description: 'Where the test goes (it lands in the sandbox mailbox).' })
  @IsEmail()
  to: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() templateId?: string;
}

export class TestSentDto extends PreviewDto {
  @ApiProperty({ format: 'uuid' }) emailId: string;
}

export class MailboxEmailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['journey', 'test'] }) kind: string;
  @ApiProperty() to: string;
  @ApiProperty() from: string;
  @ApiProperty() subject: string;
  @ApiProperty() html: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) profileId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) journeyId: string | null;
  @ApiProperty({ nullable: true, type: String }) nodeId: string | null;
  @ApiProperty({ description: 'The delivery adapter (sandbox: the mailbox itself).' }) adapter: string;
  @ApiProperty({ enum: ['queued', 'delivered', 'failed'] }) status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deliveredAt: string | null;

  static from(e: SentEmailRow): MailboxEmailDto {
    return {
      id: e.id,
      kind: e.kind,
      to: e.to,
      from: e.from,
      subject: e.subject,
      html: e.html,
      profileId: e.profileId,
      journeyId: e.journeyId,
      nodeId: e.nodeId,
      adapter: e.adapter,
      status: e.status,
      createdAt: iso(e.createdAt)!,
      deliveredAt: iso(e.deliveredAt),
    };
  }
}

export class CreateSecretRequest {
  @ApiProperty({ description: 'What webhook steps name in secretRef.' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'name: 1–64 letters, digits, "-" or "_"' })
  name: string;
}

export class SecretDto {
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class SecretCreatedDto {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Shown once: receivers verify x-cairn-signature with it.' }) secret: string;
}
