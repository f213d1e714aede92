import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';
import { SuppressionService } from './suppression.service';

@Module({
  imports: [IdentityModule],
  controllers: [PrivacyController],
  providers: [PrivacyRepository, PrivacyService, SuppressionService],
  exports: [SuppressionService],
})
export class PrivacyModule {}
