import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { InsightsController } from './insights.controller';
import { InsightsRepository } from './insights.repository';
import { InsightsService } from './insights.service';
import { SummaryRepository } from './summary.repository';
import { SummaryService } from './summary.service';

/** Journey analytics over a per-person summary kept fresh from events, stages and traits. */
@Module({
  imports: [ScoringModule],
  controllers: [InsightsController],
  providers: [InsightsRepository, InsightsService, SummaryRepository, SummaryService],
  exports: [InsightsService, SummaryService],
})
export class InsightsModule {}
