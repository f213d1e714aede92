import { Module } from '@nestjs/common';
import { FeaturesRepository } from './features.repository';
import { IntelligenceController } from './intelligence.controller';
import { IntelligenceRepository } from './intelligence.repository';
import { IntelligenceService } from './intelligence.service';
import { IntelligenceSettingsRepository } from './intelligence-settings.repository';
import { ModelsRepository } from './models.repository';
import { RetrainingService } from './retraining.service';
import { ScoreChanges } from './score-changes';
import { ScoresRepository } from './scores.repository';
import { ScoringLoop } from './scoring-loop';
import { ScoringService } from './scoring.service';
import { TrainingRepository } from './training.repository';
import { TrainingService } from './training.service';

/** Scoring: features, stages, models and scores; retraining runs as a Temporal workflow over these services. */
@Module({
  controllers: [IntelligenceController],
  providers: [
    FeaturesRepository,
    TrainingRepository,
    TrainingService,
    IntelligenceSettingsRepository,
    IntelligenceRepository,
    IntelligenceService,
    ModelsRepository,
    ScoresRepository,
    ScoringService,
    ScoringLoop,
    ScoreChanges,
    RetrainingService,
  ],
  exports: [
    FeaturesRepository,
    TrainingService,
    ScoringService,
    ScoreChanges,
    RetrainingService,
    IntelligenceService,
    ScoresRepository,
    ScoringLoop,
  ],
})
export class ScoringModule {}
