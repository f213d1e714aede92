import { Module } from '@nestjs/common';
import { EventPartitions } from './event-partitions';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { IngestRepository } from './ingest.repository';
import { RejectionsRepository } from './rejections.repository';

@Module({
  controllers: [EventsController],
  providers: [EventPartitions, IngestRepository, RejectionsRepository, EventsRepository],
  exports: [IngestRepository, RejectionsRepository, EventsRepository],
})
export class EventsModule {}
