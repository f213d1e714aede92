import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean, IsString, IsUrl, MaxLength, MinLength, IsOptional } from 'class-validator';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { OutboundEventsService } from './outbound-events.service';

export class OutboundSettingsRequest {
  @ApiProperty({ description: "Write key of the Segment source that should receive Cairn's events." })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  writeKey: string;

  @ApiPropertyOptional({
    description: "Segment's API host (default https://api.segment.io), e.g. the EU endpoint.",
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  host?: string;

  @ApiProperty() @IsBoolean() enabled: boolean;
}

export class OutboundSettingsDto {
  @ApiProperty() configured: boolean;
  @ApiProperty() host: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) writeKeyHint: string | null;
}

export class OutboundTestDto {
  @ApiProperty({ enum: ['sent', 'not-configured', 'no-consent'] }) result:
    'sent' | 'not-configured' | 'no-consent';
}

@ApiTags('sources')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/outbound/segment')
export class OutboundController {
  constructor(@Inject(OutboundEventsService) private readonly outbound: OutboundEventsService) {}

  @Get()
  @Policy.workspace('admin')
  @ApiOkResponse({ type: OutboundSettingsDto })
  get(@Auth() auth: WorkspaceAccess): Promise<OutboundSettingsDto> {
    return this.outbound.settings(auth.workspaceId);
  }

  @Put()
  @Policy.workspace('admin')
  @ApiOkResponse({ type: OutboundSettingsDto })
  configure(
    @Auth() auth: WorkspaceAccess,
    @Body() body: OutboundSettingsRequest,
  ): Promise<OutboundSettingsDto> {
    return this.outbound.configure(auth.workspaceId, body);
  }

  @Delete()
  @HttpCode(204)
  @Policy.workspace('admin')
  @ApiNoContentResponse()
  remove(@Auth() auth: WorkspaceAccess): Promise<void> {
    return this.outbound.remove(auth.workspaceId);
  }

  @Post('test')
  @HttpCode(200)
  @Policy.workspace('admin')
  @ApiOkResponse({
    type: OutboundTestDto,
    description: 'Sends a "Cairn Test Event" and waits for it to be accepted.',
  })
  async test(@Auth() auth: WorkspaceAccess): Promise<OutboundTestDto> {
    return {
      result: await this.outbound.emit(
        auth.workspaceId,
        'Cairn Test Event',
        { userId: `cairn-test-${auth.userId}` },
        { source: 'Cairn settings' },
      ),
    };
  }
}
