import { Module } from '@nestjs/common';
import { secretBoxProvider } from '../../common/crypto/secret-box.provider';
import { ConnectionsController } from './connections.controller';
import { ConnectionsRepository } from './connections.repository';
import { ConnectionsService } from './connections.service';
import { RateBudget } from './rate-budget';
import { WriteBackService } from './writeback.service';

@Module({
  controllers: [ConnectionsController],
  providers: [ConnectionsRepository, ConnectionsService, WriteBackService, RateBudget, secretBoxProvider],
  exports: [ConnectionsService, WriteBackService, ConnectionsRepository, RateBudget],
})
export class ConnectionsModule {}
