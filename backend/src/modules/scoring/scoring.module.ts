import { Module } from '@nestjs/common';
import { FeaturesRepository } from './features.repository';
import { TrainingRepository } from './training.repository';
import { TrainingService } from './training.service';

/** Scoring: features now; stages, models and scores build on them. */
@Module({
  providers: [FeaturesRepository, TrainingRepository, TrainingService],
  exports: [FeaturesRepository, TrainingService],
})
export class ScoringModule {}
