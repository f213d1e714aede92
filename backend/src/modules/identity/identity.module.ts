import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ScoringModule } from '../scoring/scoring.module';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { ProfilesController } from './profiles.controller';
import { ProfilesRepository } from './profiles.repository';
import { ProfilesService } from './profiles.service';

@Module({
  imports: [EventsModule, ScoringModule],
  controllers: [ProfilesController, AccountsController],
  providers: [ProfilesRepository, ProfilesService, AccountsRepository],
  exports: [ProfilesRepository],
})
export class IdentityModule {}
