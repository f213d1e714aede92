import { Module } from '@nestjs/common';
import { secretBoxProvider } from '../../common/crypto/secret-box.provider';
import { EventsModule } from '../events/events.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { ScoringModule } from '../scoring/scoring.module';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';
import { EventResolver } from './event-resolver.service';
import { OutboundEventsService } from './outbound-events.service';
import { OutboundController } from './outbound.controller';
import { OutboundRepository } from './outbound.repository';
import { ScoreEventsSubscriber } from './score-events.subscriber';
import { SourcesController } from './sources.controller';
import { SourcesRepository } from './sources.repository';
import { SourcesService } from './sources.service';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';

@Module({
  imports: [EventsModule, TaxonomyModule, PrivacyModule, ScoringModule],
  controllers: [SourcesController, TrackingController, OutboundController],
  providers: [
    SourcesRepository,
    SourcesService,
    TrackingService,
    EventResolver,
    OutboundRepository,
    OutboundEventsService,
    ScoreEventsSubscriber,
    secretBoxProvider,
  ],
  exports: [OutboundEventsService, EventResolver],
})
export class SegmentModule {}
