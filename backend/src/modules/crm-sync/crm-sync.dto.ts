import { ApiProperty } from '@nestjs/swagger';
import type { SyncRunRow } from './crm-sync.repository';

export class SyncStartedDto {
  @ApiProperty({ format: 'uuid', description: 'The run now going (an already running one, if any).' })
  runId: string;
}

export class SyncRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['full', 'incremental'] }) kind: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) state: string;
  @ApiProperty({ description: 'Records and deletions applied so far.' }) done: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Records the CRM reported to pull, when known.' })
  estimatedTotal: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt: string | null;

  static from(r: SyncRunRow): SyncRunDto {
    return {
      id: r.id,
      kind: r.kind,
      state: r.state,
      done: Number(r.done),
      estimatedTotal: r.estimatedTotal === null ? null : Number(r.estimatedTotal),
      error: r.error,
      startedAt: new Date(r.startedAt).toISOString(),
      finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
    };
  }
}

export class SyncRunsDto {
  @ApiProperty({ type: [SyncRunDto], description: 'The latest 20 runs, newest first.' }) runs: SyncRunDto[];
}
