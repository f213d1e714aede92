import { Module } from '@nestjs/common';
import { EventPartitions } from './event-partitions';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { IngestRepository } from './ingest.repository';
import { RejectionsRepository } from './rejections.repository';
import { ResolutionRepository } from './resolution.repository';

@Module({
  controllers: [EventsController],
  providers: [
    EventPartitions,
    IngestRepository,
    ResolutionRepository,
    RejectionsRepository,
    EventsRepository,
  ],
  exports: [IngestRepository, ResolutionRepository, RejectionsRepository, EventsRepository],
})
export class EventsModule {}
