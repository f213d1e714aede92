import { Module } from '@nestjs/common';
import { secretBoxProvider } from '../../common/crypto/secret-box.provider';
import { ConnectionsModule } from '../connections/connections.module';
import { ScoringModule } from '../scoring/scoring.module';
import { SegmentModule } from '../segment/segment.module';
import { EMAIL_DELIVERY, Mailer, SandboxMailboxAdapter } from './email-delivery';
import {
  EmailTemplatesController,
  JourneySecretsController,
  MailboxController,
} from './email-templates.controller';
import { EmailTemplatesRepository } from './email-templates.repository';
import { EmailTemplatesService } from './email-templates.service';
import { JourneyActionsService } from './journey-actions.service';
import { JourneyCrm } from './journey-crm';
import { JourneyInactivitySweep } from './journey-inactivity';
import { JourneyProspects } from './journey-prospects';
import { JourneyRunService } from './journey-run.service';
import { JourneyScoreSignals } from './journey-score-signals';
import { JourneySegments } from './journey-segments';
import { JourneySecrets } from './journey-secrets';
import { JourneyTriggerRouter } from './journey-trigger-router';
import { JourneysController } from './journeys.controller';
import { JourneysRepository } from './journeys.repository';
import { JourneysService } from './journeys.service';

/**
 * Journeys: the canvas API, publishing, the trigger router (exported: the scoring loop routes signals through
 * it), segment-entry evaluation, the inactivity sweep, the interpreter's activities, email templates and the
 * sandbox mailbox.
 */
@Module({
  imports: [ConnectionsModule, SegmentModule, ScoringModule],
  controllers: [JourneysController, EmailTemplatesController, MailboxController, JourneySecretsController],
  providers: [
    JourneysRepository,
    JourneysService,
    JourneyTriggerRouter,
    JourneyProspects,
    JourneyCrm,
    JourneySecrets,
    JourneyActionsService,
    JourneyRunService,
    JourneyScoreSignals,
    JourneySegments,
    JourneyInactivitySweep,
    EmailTemplatesRepository,
    EmailTemplatesService,
    Mailer,
    { provide: EMAIL_DELIVERY, useClass: SandboxMailboxAdapter },
    secretBoxProvider,
  ],
  exports: [JourneyTriggerRouter, JourneyRunService, JourneyInactivitySweep, Mailer],
})
export class JourneysModule {}
