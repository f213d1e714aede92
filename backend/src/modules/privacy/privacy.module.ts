import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { IdentityModule } from '../identity/identity.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';
import { SuppressionService } from './suppression.service';

@Module({
  imports: [IdentityModule, ConnectionsModule],
  controllers: [PrivacyController],
  providers: [PrivacyRepository, PrivacyService, SuppressionService],
  exports: [SuppressionService],
})
export class PrivacyModule {}
