import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { DomainError } from '../../common/errors/domain-error';
import { Auth, type WorkspaceAccess } from '../auth/auth-context';
import { Policy } from '../auth/policy';
import { Mailer } from './email-delivery';
import { EmailTemplatesService } from './email-templates.service';
import { JourneySecrets } from './journey-secrets';
import {
  CreateSecretRequest,
  EmailTemplateDto,
  EmailTemplateRequest,
  MailboxEmailDto,
  PreviewDto,
  PreviewRequest,
  SecretCreatedDto,
  SecretDto,
  TestSendRequest,
  TestSentDto,
} from './journeys.dto';

const EDIT = ['admin', 'marketer'] as const;
const READ = ['admin', 'marketer', 'sales'] as const;

@ApiTags('email templates')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/email-templates')
export class EmailTemplatesController {
  constructor(@Inject(EmailTemplatesService) private readonly templates: EmailTemplatesService) {}

  @Get()
  @Policy.workspace(...READ)
  @ApiOkResponse({ type: [EmailTemplateDto] })
  async list(@Auth() auth: WorkspaceAccess): Promise<EmailTemplateDto[]> {
    return (await this.templates.list(auth.workspaceId)).map(EmailTemplateDto.from);
  }

  @Post()
  @Policy.workspace(...EDIT)
  @ApiCreatedResponse({ type: EmailTemplateDto })
  async create(@Auth() auth: WorkspaceAccess, @Body() body: EmailTemplateRequest): Promise<EmailTemplateDto> {
    return EmailTemplateDto.from(await this.templates.create(auth.workspaceId, auth.userId, body));
  }

  @Post('preview')
  @HttpCode(200)
  @Policy.workspace(...READ)
  @ApiOkResponse({ type: PreviewDto, description: 'Renders subject and body for a real prospect.' })
  preview(@Auth() auth: WorkspaceAccess, @Body() body: PreviewRequest): Promise<PreviewDto> {
    return this.templates.preview(auth.workspaceId, body, body.profileId ?? null);
  }

  @Post('test-send')
  @HttpCode(201)
  @Policy.workspace(...EDIT)
  @ApiCreatedResponse({ type: TestSentDto, description: 'Sends a test to the sandbox mailbox.' })
  testSend(@Auth() auth: WorkspaceAccess, @Body() body: TestSendRequest): Promise<TestSentDto> {
    return this.templates.testSend(auth.workspaceId, {
      subject: body.subject,
      body: body.body,
      to: body.to,
      profileId: body.profileId ?? null,
      templateId: body.templateId ?? null,
    });
  }

  @Get(':templateId')
  @Policy.workspace(...READ)
  @ApiParam({ name: 'templateId', format: 'uuid' })
  @ApiOkResponse({ type: EmailTemplateDto })
  async get(
    @Auth() auth: WorkspaceAccess,
    @Param('templateId', ParseUUIDPipe) templateId: string,
  ): Promise<EmailTemplateDto> {
    return EmailTemplateDto.from(await this.templates.get(auth.workspaceId, templateId));
  }

  @Put(':templateId')
  @Policy.workspace(...EDIT)
  @ApiParam({ name: 'templateId', format: 'uuid' })
  @ApiOkResponse({ type: EmailTemplateDto, description: 'Emails not yet sent use the new content.' })
  async update(
    @Auth() auth: WorkspaceAccess,
    @Param('templateId', ParseUUIDPipe) templateId: string,
    @Body() body: EmailTemplateRequest,
  ): Promise<EmailTemplateDto> {
    return EmailTemplateDto.from(await this.templates.update(auth.workspaceId, templateId, body));
  }

  @Delete(':templateId')
  @HttpCode(204)
  @Policy.workspace(...EDIT)
  @ApiParam({ name: 'templateId', format: 'uuid' })
  @ApiNoContentResponse()
  async remove(@Auth() auth: WorkspaceAccess, @Param('templateId', ParseUUIDPipe) templateId: string) {
    await this.templates.remove(auth.workspaceId, templateId);
  }
}

@ApiTags('email templates')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/mailbox')
export class MailboxController {
  constructor(@Inject(Mailer) private readonly mailer: Mailer) {}

  @Get()
  @Policy.workspace(...READ)
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'profileId', required: false })
  @ApiOkResponse({
    type: [MailboxEmailDto],
    description: 'The sandbox mailbox: every email Cairn sent (journeys and tests), newest first.',
  })
  async list(
    @Auth() auth: WorkspaceAccess,
    @Query('limit') limit?: string,
    @Query('profileId', new ParseUUIDPipe({ optional: true })) profileId?: string,
  ): Promise<MailboxEmailDto[]> {
    const n = Math.min(Math.max(Number(limit) || 50, 1), 200);
    return (await this.mailer.list(auth.workspaceId, n, profileId)).map(MailboxEmailDto.from);
  }

  @Get(':emailId')
  @Policy.workspace(...READ)
  @ApiParam({ name: 'emailId', format: 'uuid' })
  @ApiOkResponse({ type: MailboxEmailDto })
  async get(
    @Auth() auth: WorkspaceAccess,
    @Param('emailId', ParseUUIDPipe) emailId: string,
  ): Promise<MailboxEmailDto> {
    const email = await this.mailer.get(auth.workspaceId, emailId);
    if (!email) throw new DomainError('journeys.email_not_found', 'No such email in this workspace.');
    return MailboxEmailDto.from(email);
  }
}

@ApiTags('journeys')
@ApiParam({ name: 'workspaceId', format: 'uuid' })
@Controller('workspaces/:workspaceId/journey-secrets')
export class JourneySecretsController {
  constructor(@Inject(JourneySecrets) private readonly secrets: JourneySecrets) {}

  @Get()
  @Policy.workspace(...EDIT)
  @ApiOkResponse({ type: [SecretDto] })
  async list(@Auth() auth: WorkspaceAccess): Promise<SecretDto[]> {
    return (await this.secrets.list(auth.workspaceId)).map((s) => ({
      name: s.name,
      createdAt: new Date(s.createdAt).toISOString(),
    }));
  }

  @Post()
  @Policy.workspace(...EDIT)
  @ApiCreatedResponse({
    type: SecretCreatedDto,
    description: 'Makes or replaces the secret; shown only now.',
  })
  async create(@Auth() auth: WorkspaceAccess, @Body() body: CreateSecretRequest): Promise<SecretCreatedDto> {
    return { name: body.name, secret: await this.secrets.rotate(auth.workspaceId, body.name) };
  }
}
