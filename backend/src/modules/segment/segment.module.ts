import { Module } from '@nestjs/common';
import { secretBoxProvider } from '../../common/crypto/secret-box.provider';
import { EventsModule } from '../events/events.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';
import { SourcesController } from './sources.controller';
import { SourcesRepository } from './sources.repository';
import { SourcesService } from './sources.service';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';

@Module({
  imports: [EventsModule, TaxonomyModule, PrivacyModule],
  controllers: [SourcesController, TrackingController],
  providers: [SourcesRepository, SourcesService, TrackingService, secretBoxProvider],
})
export class SegmentModule {}
