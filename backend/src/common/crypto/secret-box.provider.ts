import type { Provider } from '@nestjs/common';
import type { CairnConfig } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { loadOrCreateSecretKey } from '../../runtime/secret-key';
import { SecretBox } from './secret-box';

export const SECRET_BOX = Symbol('SecretBox');

export const secretBoxProvider: Provider = {
  provide: SECRET_BOX,
  inject: [CONFIG],
  useFactory: async (config: CairnConfig) =>
    new SecretBox(config.secretKey ?? (await loadOrCreateSecretKey(config.dataDir))),
};
