import { ApiProperty } from '@nestjs/swagger';
import type { RecentEventRow } from './events.repository';

export class EventDto {
  @ApiProperty() messageId: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
  @ApiProperty({ enum: ['identify', 'track', 'page', 'screen', 'group', 'alias'] }) type: string;
  @ApiProperty({ nullable: true, type: String }) event: string | null;
  @ApiProperty({ nullable: true, type: String }) canonicalEvent: string | null;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({ nullable: true, type: String }) intent: string | null;
  @ApiProperty({ format: 'uuid' }) profileId: string;
  @ApiProperty({ nullable: true, type: String }) userId: string | null;
  @ApiProperty({ nullable: true, type: String }) anonymousId: string | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) sourceId: string | null;

  static from(r: RecentEventRow): EventDto {
    return {
      messageId: r.messageId,
      receivedAt: new Date(r.receivedAt).toISOString(),
      timestamp: new Date(r.timestamp).toISOString(),
      type: r.type,
      event: r.event,
      canonicalEvent: r.canonicalEvent,
      category: r.category,
      intent: r.intent,
      profileId: r.profileId,
      userId: r.userId,
      anonymousId: r.anonymousId,
      url: r.url,
      sourceId: r.sourceId,
    };
  }
}

export class RejectionDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty() reason: string;
  @ApiProperty({ nullable: true, type: String, description: 'The rejected message, cut at 2 KB.' }) payload:
    string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) sourceId: string | null;
}

export class InboxDto {
  @ApiProperty({ description: 'Events acknowledged but not yet resolved into profiles and events.' })
  waiting: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) oldestReceivedAt: string | null;
}
