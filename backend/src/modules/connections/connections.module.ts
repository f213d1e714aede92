import { forwardRef, Module } from '@nestjs/common';
import { secretBoxProvider } from '../../common/crypto/secret-box.provider';
import { CrmSyncModule } from '../crm-sync/crm-sync.module';
import { ConnectionsController } from './connections.controller';
import { ConnectionsRepository } from './connections.repository';
import { ConnectionsService } from './connections.service';
import { RateBudget } from './rate-budget';
import { WriteBackService } from './writeback.service';

@Module({
  // The sync module needs connections' tokens; connections start and stop the sync: a deliberate cycle.
  imports: [forwardRef(() => CrmSyncModule)],
  controllers: [ConnectionsController],
  providers: [ConnectionsRepository, ConnectionsService, WriteBackService, RateBudget, secretBoxProvider],
  exports: [ConnectionsService, WriteBackService, ConnectionsRepository, RateBudget],
})
export class ConnectionsModule {}
