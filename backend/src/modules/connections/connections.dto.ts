import { IsInt, IsObject, Max, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import type { ConnectionRow } from './connections.repository';
import { PROVIDERS, type Provider } from './providers';

export class ProviderDto {
  @ApiProperty({ enum: PROVIDERS }) provider: Provider;
  @ApiProperty({ description: 'False when the server has no OAuth app for it.' }) configured: boolean;
}

export class ApiUsageDto {
  @ApiProperty({ description: 'API requests the org used in the last 24 h.' }) used: number;
  @ApiProperty({ description: 'API requests the org may make in 24 h.' }) limit: number;
  @ApiProperty({ format: 'date-time', description: 'When the CRM last reported it.' }) at: string;
}

export class ConnectionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PROVIDERS }) provider: Provider;
  @ApiProperty({ enum: ['active', 'syncing', 'needs_reauth', 'error'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why the status is what it is, for the admin.' })
  statusReason: string | null;
  @ApiProperty({ description: 'HubSpot portal (hub) id or Salesforce org id.' }) externalAccount: string;
  @ApiProperty({ nullable: true, type: String }) instanceUrl: string | null;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ minimum: 5, maximum: 1440, description: 'Minutes between scheduled pulls.' })
  syncIntervalMinutes: number;
  @ApiProperty({
    type: ApiUsageDto,
    nullable: true,
    description:
      'Salesforce: API allowance use from Sforce-Limit-Info; null until reported (HubSpot: always).',
  })
  apiUsage: ApiUsageDto | null;
  @ApiProperty({ format: 'date-time' }) connectedAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(c: ConnectionRow): ConnectionDto {
    return {
      id: c.id,
      provider: c.provider,
      status: c.status,
      statusReason: c.statusReason,
      externalAccount: c.externalAccount,
      instanceUrl: c.instanceUrl,
      scopes: c.scopes,
      syncIntervalMinutes: c.syncIntervalMinutes,
      apiUsage:
        c.apiUsageUsed !== null && c.apiUsageLimit !== null && c.apiUsageAt
          ? { used: c.apiUsageUsed, limit: c.apiUsageLimit, at: new Date(c.apiUsageAt).toISOString() }
          : null,
      connectedAt: new Date(c.createdAt).toISOString(),
      updatedAt: new Date(c.updatedAt).toISOString(),
    };
  }
}

export class ConnectionsDto {
  @ApiProperty({ type: [ProviderDto] }) providers: ProviderDto[];
  @ApiProperty({ type: [ConnectionDto] }) connections: ConnectionDto[];
}

export class AuthorizeDto {
  @ApiProperty({ description: "The provider's consent page; send the admin's browser there." })
  authorizeUrl: string;
}

export class CairnFieldDto {
  @ApiProperty({ enum: ['stage', 'risk', 'reasons', 'scoredAt'] }) key: string;
  @ApiProperty() label: string;
  @ApiProperty({ description: "Cairn's own field in the CRM." }) cairnField: string;
  @ApiProperty({ nullable: true, type: String, description: 'An existing CRM field chosen instead.' })
  mappedTo: string | null;
}

export class CrmFieldDto {
  @ApiProperty() name: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['text', 'number'] }) kind: string;
}

export class FieldMappingDto {
  @ApiProperty({ type: [CairnFieldDto] }) fields: CairnFieldDto[];
  @ApiProperty({ type: [CrmFieldDto], description: 'Writable fields on the CRM contact.' })
  available: CrmFieldDto[];
}

export class FieldMappingRequest {
  @ApiProperty({
    description: 'Per Cairn value, an existing CRM field name, or null for Cairn’s own field.',
    example: { stage: 'hs_lead_status', risk: null },
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
  })
  @IsObject()
  map: Partial<Record<'stage' | 'risk' | 'reasons' | 'scoredAt', string | null>>;
}

export class UpdateConnectionRequest {
  @ApiProperty({ minimum: 5, maximum: 1440, description: 'Minutes between scheduled pulls (5 min – 24 h).' })
  @IsInt()
  @Min(5)
  @Max(1440)
  syncIntervalMinutes: number;
}
