import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';
import { EventResolver } from './event-resolver.service';
import { SegmentModule } from './segment.module';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';

/**
 * Receiving behaviour: the tracking API and the resolver that turns what it accepts into events. In the API
 * process only, because the resolver paces itself by that process's acknowledgements.
 */
@Module({
  imports: [SegmentModule, EventsModule, TaxonomyModule, PrivacyModule],
  controllers: [TrackingController],
  providers: [TrackingService, EventResolver],
})
export class TrackingModule {}
