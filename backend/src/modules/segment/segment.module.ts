import { Module } from '@nestjs/common';
import { secretBoxProvider } from '../../common/crypto/secret-box.provider';
import { ScoringModule } from '../scoring/scoring.module';
import { OutboundEventsService } from './outbound-events.service';
import { OutboundController } from './outbound.controller';
import { OutboundRepository } from './outbound.repository';
import { ScoreEventsSubscriber } from './score-events.subscriber';
import { SourcesController } from './sources.controller';
import { SourcesRepository } from './sources.repository';
import { SourcesService } from './sources.service';

@Module({
  imports: [ScoringModule],
  controllers: [SourcesController, OutboundController],
  providers: [
    SourcesRepository,
    SourcesService,
    OutboundRepository,
    OutboundEventsService,
    ScoreEventsSubscriber,
    secretBoxProvider,
  ],
  exports: [OutboundEventsService, SourcesService],
})
export class SegmentModule {}
