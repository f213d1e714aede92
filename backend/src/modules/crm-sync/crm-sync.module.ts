import { forwardRef, Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { CrmSyncController } from './crm-sync.controller';
import { CrmSyncRepository } from './crm-sync.repository';
import { CrmSyncService } from './crm-sync.service';
import { PageFetcher } from './page-fetcher';

/** Pull of HubSpot and Salesforce into Cairn (`crm_objects`, profiles, accounts), driven by Temporal. */
@Module({
  imports: [forwardRef(() => ConnectionsModule)],
  controllers: [CrmSyncController],
  providers: [CrmSyncRepository, CrmSyncService, PageFetcher],
  exports: [CrmSyncService],
})
export class CrmSyncModule {}
