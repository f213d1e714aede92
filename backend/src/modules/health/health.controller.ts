import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Policy } from '../auth/policy';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get('live')
  @Policy.public()
  @ApiOkResponse({ description: 'The process is up.' })
  live(): { ok: true } {
    return { ok: true };
  }

  @Get('ready')
  @Policy.public()
  @ApiOkResponse({ description: 'PostgreSQL and Temporal answer.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer; `checks` says which.' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const result = await this.health.readiness();
    if (!result.ok) res.status(503);
    return result;
  }
}
