import { Module } from '@nestjs/common';
import { EventPartitions } from './event-partitions';
import { IngestRepository } from './ingest.repository';
import { RejectionsRepository } from './rejections.repository';

@Module({
  providers: [EventPartitions, IngestRepository, RejectionsRepository],
  exports: [IngestRepository, RejectionsRepository],
})
export class EventsModule {}
