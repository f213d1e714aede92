import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { ClosableRetries } from './closable-retries';

/**
 * The API's Temporal client. The connection is lazy so the API starts (and reports "not ready") while
 * Temporal is still coming up, instead of failing to boot.
 */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  private readonly retries = new ClosableRetries();

  constructor(@Inject(CONFIG) readonly config: CairnConfig) {
    if (!config.temporal.address)
      throw new Error('TEMPORAL_ADDRESS is not resolved; start Cairn through its runtime');
    this.connection = Connection.lazy({
      address: config.temporal.address,
      connectTimeout: '5s',
      interceptors: [this.retries.interceptor],
    });
    this.client = new Client({ connection: this.connection, namespace: config.temporal.namespace });
  }

  async check(): Promise<void> {
    await this.connection.ensureConnected();
    await this.connection.workflowService.describeNamespace({ namespace: this.config.temporal.namespace });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.retries.close();
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalService], exports: [TemporalService] })
export class TemporalModule {}
