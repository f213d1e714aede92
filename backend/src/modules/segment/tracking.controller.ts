import { Controller, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error';
import { Policy } from '../auth/policy';
import { MESSAGE_TYPES, type MessageType } from './segment-message';
import { SourcesService } from './sources.service';
import { TrackingResultDto } from './sources.dto';
import { TrackingService } from './tracking.service';

/**
 * Segment's HTTP tracking API, wire-compatible so `@segment/analytics-node` works with `host` pointed here.
 * Authenticated by write key (or webhook signature), not by session: no CSRF, no cookies.
 */
@ApiTags('tracking')
@ApiBasicAuth()
@Controller('v1')
export class TrackingController {
  constructor(
    @Inject(TrackingService) private readonly tracking: TrackingService,
    @Inject(SourcesService) private readonly sources: SourcesService,
  ) {}

  @Post('batch')
  @HttpCode(200)
  @Policy.public({ csrf: false })
  @ApiOperation({ summary: 'Segment batch: up to 2,500 messages, 500 KB; each message at most 32 KB' })
  @ApiBody({ schema: { type: 'object' } })
  @ApiOkResponse({ type: TrackingResultDto })
  batch(@Headers('authorization') auth: string | undefined, @Req() req: Request): Promise<TrackingResultDto> {
    return this.tracking.receive(auth, bodyOf(req), 'batch');
  }

  @Post('webhook/:sourceId')
  @HttpCode(200)
  @Policy.public({ csrf: false })
  @ApiOperation({
    summary: "Segment webhook destination; X-Signature is the body's HMAC-SHA1 with the source's secret",
  })
  @ApiBody({ schema: { type: 'object' } })
  @ApiOkResponse({ type: TrackingResultDto })
  async webhook(
    @Param('sourceId') sourceId: string,
    @Headers('x-signature') signature: string | undefined,
    @Req() req: Request,
  ): Promise<TrackingResultDto> {
    const body = bodyOf(req);
    const { source, secret } = await this.sources.webhookSource(sourceId);
    const expected = createHmac('sha1', secret).update(body).digest('hex');
    if (
      !signature ||
      signature.length !== expected.length ||
      !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
    ) {
      throw new DomainError(
        'events.bad_signature',
        "X-Signature does not match the body signed with this source's secret.",
      );
    }
    return this.tracking.receiveWebhook(source, body);
  }

  @Post(':type')
  @HttpCode(200)
  @Policy.public({ csrf: false })
  @ApiOperation({ summary: 'One Segment call: identify, track, page, screen, group or alias' })
  @ApiParam({ name: 'type', enum: MESSAGE_TYPES })
  @ApiBody({ schema: { type: 'object' } })
  @ApiOkResponse({ type: TrackingResultDto })
  single(
    @Param('type') type: string,
    @Headers('authorization') auth: string | undefined,
    @Req() req: Request,
  ): Promise<TrackingResultDto> {
    if (!MESSAGE_TYPES.includes(type as MessageType)) {
      throw new DomainError('route.not_found', `No tracking call named ${type}.`);
    }
    return this.tracking.receive(auth, bodyOf(req), type as MessageType);
  }
}

/** The tracking routes read the raw body (see api.ts), so limits and signatures apply to the bytes sent. */
function bodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
