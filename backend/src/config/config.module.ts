import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { CairnConfig } from './config';

export const CONFIG = Symbol('CairnConfig');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: CairnConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] };
  }
}
