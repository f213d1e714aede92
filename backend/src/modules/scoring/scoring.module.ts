import { Module } from '@nestjs/common';
import { FeaturesRepository } from './features.repository';

/** Scoring: features now; stages, models and scores build on them. */
@Module({ providers: [FeaturesRepository], exports: [FeaturesRepository] })
export class ScoringModule {}
