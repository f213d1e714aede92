import { forwardRef, Module } from '@nestjs/common';
import { secretBoxProvider } from '../../common/crypto/secret-box.provider';
import { CrmSyncModule } from '../crm-sync/crm-sync.module';
import { ScoringModule } from '../scoring/scoring.module';
import { ConnectionsController } from './connections.controller';
import { ConnectionsRepository } from './connections.repository';
import { ConnectionsService } from './connections.service';
import { RateBudget } from './rate-budget';
import { ScoreWritebackSubscriber } from './score-writeback.subscriber';
import { WriteBackService } from './writeback.service';
import { WritebackDrainService } from './writeback-drain.service';
import { WritebackOutboxRepository } from './writeback-outbox.repository';
import { WritebackOutboxService } from './writeback-outbox.service';

@Module({
  // The sync module needs connections' tokens; connections start and stop the sync: a deliberate cycle.
  imports: [forwardRef(() => CrmSyncModule), ScoringModule],
  controllers: [ConnectionsController],
  providers: [
    ConnectionsRepository,
    ConnectionsService,
    WriteBackService,
    RateBudget,
    secretBoxProvider,
    WritebackOutboxRepository,
    WritebackOutboxService,
    WritebackDrainService,
    ScoreWritebackSubscriber,
  ],
  exports: [
    ConnectionsService,
    WriteBackService,
    ConnectionsRepository,
    RateBudget,
    WritebackOutboxService,
    WritebackDrainService,
  ],
})
export class ConnectionsModule {}
