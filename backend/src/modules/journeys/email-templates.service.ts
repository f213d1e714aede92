import { Inject, Injectable } from '@nestjs/common';
import { renderMergeFields } from '@cairn/workflows';
import { DomainError } from '../../common/errors/domain-error';
import { Mailer } from './email-delivery';
import { EmailTemplatesRepository } from './email-templates.repository';
import { JourneyProspects, mergeData } from './journey-prospects';

export interface TemplateContent {
  subject: string;
  body: string;
}

/** Email templates: merge fields filled from a real prospect for preview, test sends to the mailbox. */
@Injectable()
export class EmailTemplatesService {
  constructor(
    @Inject(EmailTemplatesRepository) private readonly repo: EmailTemplatesRepository,
    @Inject(JourneyProspects) private readonly prospects: JourneyProspects,
    @Inject(Mailer) private readonly mailer: Mailer,
  ) {}

  list(workspaceId: string) {
    return this.repo.list(workspaceId);
  }

  async get(workspaceId: string, id: string) {
    const t = await this.repo.get(workspaceId, id);
    if (!t) throw notFound();
    return t;
  }

  create(workspaceId: string, userId: string, t: { name: string } & TemplateContent) {
    return this.repo.create(workspaceId, userId, t);
  }

  async update(workspaceId: string, id: string, t: { name: string } & TemplateContent) {
    const row = await this.repo.update(workspaceId, id, t);
    if (!row) throw notFound();
    return row;
  }

  async remove(workspaceId: string, id: string) {
    if (!(await this.repo.remove(workspaceId, id))) throw notFound();
  }

  /** The email as this prospect would get it; `missing` lists merge fields that would come out empty. */
  async preview(workspaceId: string, content: TemplateContent, profileId: string | null) {
    let data: Record<string, unknown> = {};
    let to: string | null = null;
    if (profileId) {
      const p = await this.prospects.get(workspaceId, profileId);
      if (!p) throw new DomainError('profiles.not_found', 'No such prospect in this workspace.');
      data = mergeData(p);
      to = p.email;
    }
    const subject = renderMergeFields(content.subject, data, { escape: 'none' });
    const body = renderMergeFields(content.body, data);
    return {
      to,
      subject: subject.text,
      html: body.text,
      missing: [...new Set([...subject.missing, ...body.missing])],
    };
  }

  /** Renders for the prospect (if any) and sends to `to` through the mailbox, marked as a test. */
  async testSend(
    workspaceId: string,
    input: TemplateContent & { to: string; profileId: string | null; templateId: string | null },
  ) {
    const rendered = await this.preview(workspaceId, input, input.profileId);
    const sent = await this.mailer.send({
      workspaceId,
      profileId: input.profileId,
      journeyId: null,
      nodeId: null,
      templateId: input.templateId,
      kind: 'test',
      idempotencyKey: null,
      to: input.to,
      subject: `[Test] ${rendered.subject}`,
      html: rendered.html,
    });
    return { emailId: sent.id, ...rendered, to: input.to };
  }
}

function notFound() {
  return new DomainError('journeys.template_not_found', 'No such email template in this workspace.');
}
