import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { SourceRow } from './sources.repository';

export class CreateSourceRequest {
  @ApiProperty({ example: 'Website' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class SourceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The first and last characters of the write key, to recognise it.' })
  writeKeyHint: string;
  @ApiProperty({
    description: 'Where Segment webhook destinations deliver for this source (path on the API).',
  })
  webhookPath: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) rotatedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;

  static from(s: SourceRow): SourceDto {
    return {
      id: s.id,
      name: s.name,
      writeKeyHint: s.writeKeyHint,
      webhookPath: `/v1/webhook/${s.id}`,
      createdAt: new Date(s.createdAt).toISOString(),
      rotatedAt: s.rotatedAt ? new Date(s.rotatedAt).toISOString() : null,
      revokedAt: s.revokedAt ? new Date(s.revokedAt).toISOString() : null,
    };
  }
}

export class SourceWithKeyDto extends SourceDto {
  @ApiProperty({ description: 'Shown once: Cairn keeps only its hash.' })
  writeKey: string;
}

export class WebhookSecretDto {
  @ApiProperty({ description: "The shared secret to enter in Segment's webhook destination." })
  secret: string;
}

export class TrackingRejectionDto {
  @ApiProperty() index: number;
  @ApiProperty() reason: string;
}

export class TrackingResultDto {
  @ApiProperty({ enum: [true] }) success: true;
  @ApiProperty({
    description:
      'Messages taken by this request, durably. One whose messageId was stored before is dropped when resolved.',
  })
  accepted: number;
  @ApiProperty({ description: 'Messages repeating a messageId earlier in this request (taken once).' })
  duplicates: number;
  @ApiProperty({ type: [TrackingRejectionDto] }) rejected: TrackingRejectionDto[];
}
