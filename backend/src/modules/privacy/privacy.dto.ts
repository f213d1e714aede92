import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { ErasureRow } from './privacy.repository';

export class ErasureRequest {
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) userId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() profileId?: string;
}

export class ErasureCountsDto {
  @ApiProperty() events: number;
  @ApiProperty() identities: number;
  @ApiProperty() profiles: number;
  @ApiPropertyOptional({ description: 'CRM records whose Cairn fields were cleared.' })
  crmRecordsCleared?: number;
}

export class ErasureDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) profileId: string;
  @ApiProperty({ enum: ['completed', 'failed'] }) status: 'completed' | 'failed';
  @ApiProperty({ type: ErasureCountsDto }) deleted: ErasureCountsDto;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Email of the admin who asked.' }) requestedBy:
    string | null;

  static from(r: ErasureRow): ErasureDto {
    return {
      id: r.id,
      profileId: r.profileId,
      status: r.status,
      deleted: r.deleted,
      requestedAt: new Date(r.requestedAt).toISOString(),
      completedAt: r.completedAt ? new Date(r.completedAt).toISOString() : null,
      requestedBy: r.requestedBy,
    };
  }
}
