import { Inject, Injectable } from '@nestjs/common';
import {
  renderMergeFields,
  type JourneyActionResult,
  type JourneyEnrollmentRef,
  type JourneyNode,
  type JourneySettings,
} from '@cairn/workflows';
import { DataSource } from 'typeorm';
import { OutboundEventsService, type OutboundEventName } from '../segment/outbound-events.service';
import { Mailer } from './email-delivery';
import { EmailTemplatesRepository } from './email-templates.repository';
import { crmErrorIsPermanent, JourneyCrm, type CrmOutcome } from './journey-crm';
import { JourneyProspects, mergeData, type ProspectRecord } from './journey-prospects';
import { JourneySecrets } from './journey-secrets';
import { JourneyTriggerRouter } from './journey-trigger-router';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signing';

export interface ActionInput {
  enrollment: JourneyEnrollmentRef;
  key: string;
  nodeId: string;
  node: JourneyNode;
  settings: JourneySettings;
}

type Outcome = { status: 'done' | 'skipped' | 'failed'; detail: string; result?: unknown };

/** A failure worth retrying (a provider down, a rate limit): the activity throws it so Temporal retries. */
export class TransientActionError extends Error {}

const WEEK_MS = 7 * 86_400_000;
const HTTP_TIMEOUT_MS = 10_000;
/** How much of a refusing receiver's answer (Slack's "no_service", an API's error) the step's detail keeps. */
const ANSWER_CHARS = 200;

/**
 * Runs journey actions exactly once per idempotency key: the key is claimed in `journey_actions` first; a key
 * already done (or skipped, or failed for good) reports what happened instead of acting again. Emails are
 * written to the outbox under the same key, so even a retry after the email went out finds it there.
 */
@Injectable()
export class JourneyActionsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(JourneyProspects) private readonly prospects: JourneyProspects,
    @Inject(Mailer) private readonly mailer: Mailer,
    @Inject(EmailTemplatesRepository) private readonly templates: EmailTemplatesRepository,
    @Inject(JourneyCrm) private readonly crm: JourneyCrm,
    @Inject(OutboundEventsService) private readonly outbound: OutboundEventsService,
    @Inject(JourneySecrets) private readonly secrets: JourneySecrets,
    @Inject(JourneyTriggerRouter) private readonly router: JourneyTriggerRouter,
  ) {}

  async run(input: ActionInput): Promise<JourneyActionResult> {
    const { enrollment: e, key, nodeId, node } = input;
    // The enrolment goes when its person is erased; the step is still claimed (and skipped, the person gone).
    const [claim] = await this.ds.query(
      `INSERT INTO journey_actions (idempotency_key, workspace_id, journey_id, version_id, enrollment_id, profile_id, node_id, kind)
       VALUES ($1, $2, $3, $4, (SELECT id FROM journey_enrollments WHERE id = $5), $6, $7, $8)
       ON CONFLICT (idempotency_key) DO UPDATE SET attempts = journey_actions.attempts + 1
       RETURNING status, detail`,
      [key, e.workspaceId, e.journeyId, e.versionId, e.enrollmentId, e.profileId, nodeId, node.kind],
    );
    if (claim.status !== 'pending')
      return { status: claim.status, detail: claim.detail ?? '', replayed: true };

    let outcome: Outcome | { status: 'throttled'; detail: string; retryAfterMs: number };
    try {
      outcome = await this.execute(input);
    } catch (err) {
      await this.ds.query(`UPDATE journey_actions SET detail = $2 WHERE idempotency_key = $1`, [
        key,
        `attempt failed: ${(err as Error).message}`,
      ]);
      throw err;
    }
    if (outcome.status === 'throttled') return outcome;
    await this.ds.query(
      `UPDATE journey_actions SET status = $2, detail = $3, result = $4, completed_at = now() WHERE idempotency_key = $1`,
      [key, outcome.status, outcome.detail, JSON.stringify(outcome.result ?? null)],
    );
    return { status: outcome.status, detail: outcome.detail };
  }

  /** After the workflow gave up retrying: the key is closed as failed so a replay does not try again. */
  async markFailed(key: string, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE journey_actions SET status = 'failed', detail = $2, completed_at = now()
        WHERE idempotency_key = $1 AND status = 'pending'`,
      [key, `failed after retries: ${error}`],
    );
  }

  private async execute(input: ActionInput) {
    const { enrollment: e, node } = input;
    const prospect = await this.prospects.get(e.workspaceId, e.profileId);
    if (!prospect) return { status: 'skipped', detail: 'skipped: the prospect no longer exists' } as const;
    switch (node.kind) {
      case 'send_email':
        return this.sendEmail(input, prospect);
      case 'crm_task': {
        const target = await this.crm.target(e.workspaceId, e.profileId);
        if ('status' in target) return target;
        const data = mergeData(prospect);
        return this.crmCall(() =>
          this.crm.createTask(e.workspaceId, target, {
            subject: renderMergeFields(node.subject, data, { escape: 'none' }).text,
            notes: node.notes ? renderMergeFields(node.notes, data, { escape: 'none' }).text : null,
            dueInDays: node.dueInDays,
            idempotencyKey: input.key,
          }),
        );
      }
      case 'crm_set_field': {
        const target = await this.crm.target(e.workspaceId, e.profileId);
        if ('status' in target) return target;
        return this.crmCall(() => this.crm.setField(e.workspaceId, target, node.field, node.value));
      }
      case 'slack': {
        if (!node.webhookUrl) {
          return {
            status: 'skipped',
            detail: `skipped: no Slack connection to post to ${node.channel ?? 'a channel'}; use an incoming-webhook URL`,
          } as const;
        }
        const text = renderMergeFields(node.text, slackEscaped(mergeData(prospect)), { escape: 'none' }).text;
        return this.post(node.webhookUrl, JSON.stringify({ text }), { 'idempotency-key': input.key });
      }
      case 'webhook': {
        const body = JSON.stringify({
          type: 'journey.step',
          idempotencyKey: input.key,
          journeyId: e.journeyId,
          versionId: e.versionId,
          nodeId: input.nodeId,
          profileId: e.profileId,
          prospect: {
            email: prospect.email,
            stage: prospect.stage,
            risk: prospect.risk,
            traits: prospect.traits,
            account: prospect.account,
          },
        });
        const headers: Record<string, string> = { 'idempotency-key': input.key };
        if (node.secretRef) {
          const secret = await this.secrets.reveal(e.workspaceId, node.secretRef);
          if (!secret)
            return {
              status: 'failed',
              detail: `failed: no workspace secret named "${node.secretRef}"`,
            } as const;
          const ts = Math.floor(Date.now() / 1000);
          headers[TIMESTAMP_HEADER] = String(ts);
          headers[SIGNATURE_HEADER] = signWebhook(secret, body, ts);
        }
        return this.post(node.url, body, headers);
      }
      case 'segment_event': {
        const sent = await this.outbound.emit(
          e.workspaceId,
          node.event as OutboundEventName,
          { profileId: e.profileId },
          { ...node.properties, journeyId: e.journeyId, nodeId: input.nodeId },
        );
        if (sent === 'sent') return { status: 'done', detail: `Segment event "${node.event}" sent` } as const;
        return {
          status: 'skipped',
          detail: sent === 'no-consent' ? 'skipped: opted out' : 'skipped: Segment outbound is not set up',
        } as const;
      }
      case 'enroll_journey': {
        const r = await this.router.enroll(e.workspaceId, node.journeyId, e.profileId);
        if ('reason' in r)
          return { status: 'skipped', detail: `skipped: not enrolled (${r.reason})` } as const;
        return { status: 'done', detail: `enrolled in journey ${node.journeyId}`, result: r } as const;
      }
      default:
        return { status: 'failed', detail: `failed: "${node.kind}" is not an action` } as const;
    }
  }

  private async sendEmail(input: ActionInput, prospect: ProspectRecord) {
    const { enrollment: e, node, settings } = input;
    if (node.kind !== 'send_email') throw new Error('not an email step');
    if (prospect.consent === 'denied') return { status: 'skipped', detail: 'skipped: opted out' } as const;
    if (!prospect.email) return { status: 'skipped', detail: 'skipped: no email address' } as const;
    let subject: string;
    let body: string;
    let templateId: string | null = null;
    if (node.content.source === 'template') {
      const template = await this.templates.get(e.workspaceId, node.content.templateId);
      if (!template)
        return { status: 'failed', detail: `failed: no template "${node.content.templateId}"` } as const;
      ({ subject, body } = template);
      templateId = template.id;
    } else {
      ({ subject, body } = node.content);
    }
    if (settings.maxSendsPerWeek !== null) {
      const [row] = await this.ds.query(
        `SELECT count(*)::int AS n FROM journey_actions
          WHERE journey_id = $1 AND profile_id = $2 AND kind = 'send_email' AND status = 'done' AND completed_at > $3`,
        [e.journeyId, e.profileId, new Date(Date.now() - WEEK_MS)],
      );
      if (row.n >= settings.maxSendsPerWeek) {
        return {
          status: 'skipped',
          detail: `skipped: weekly cap of ${settings.maxSendsPerWeek} reached`,
        } as const;
      }
    }
    if (settings.sendRatePerMinute !== null) {
      const wait = await this.takeSendBudget(e.workspaceId, settings.sendRatePerMinute);
      if (wait > 0)
        return { status: 'throttled', detail: 'waiting for the send rate', retryAfterMs: wait } as const;
    }
    const data = mergeData(prospect);
    const renderedSubject = renderMergeFields(subject, data, { escape: 'none' });
    const renderedBody = renderMergeFields(body, data);
    const sent = await this.mailer.send({
      workspaceId: e.workspaceId,
      profileId: e.profileId,
      journeyId: e.journeyId,
      nodeId: input.nodeId,
      templateId,
      kind: 'journey',
      idempotencyKey: input.key,
      to: prospect.email,
      subject: renderedSubject.text,
      html: renderedBody.text,
    });
    const missing = [...new Set([...renderedSubject.missing, ...renderedBody.missing])];
    return {
      status: 'done',
      detail: `sent to ${prospect.email}${missing.length ? ` (empty merge fields: ${missing.join(', ')})` : ''}`,
      result: { emailId: sent.id },
    } as const;
  }

  /** Takes one send from the workspace's budget for this minute; 0, or how long until the next minute. */
  private async takeSendBudget(workspaceId: string, perMinute: number): Promise<number> {
    const now = Date.now();
    const minute = new Date(now - (now % 60_000));
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO journey_send_budget (workspace_id, minute, sent) VALUES ($1, $2, 1)
       ON CONFLICT (workspace_id, minute) DO UPDATE SET sent = journey_send_budget.sent + 1
       WHERE journey_send_budget.sent < $3 RETURNING sent`,
      [workspaceId, minute, perMinute],
    );
    return rows.length ? 0 : minute.getTime() + 60_000 - now;
  }

  private async crmCall(call: () => Promise<CrmOutcome>): Promise<Outcome> {
    try {
      const r = await call();
      return { status: r.status, detail: r.detail };
    } catch (err) {
      const message = (err as { body?: { message?: string } }).body?.message ?? (err as Error).message;
      if (crmErrorIsPermanent(err))
        return { status: 'failed', detail: `failed: the CRM refused: ${message}` };
      throw new TransientActionError(`the CRM call failed: ${message}`);
    }
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<Outcome> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Cairn-Journeys/1', ...headers },
        body,
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (err) {
      throw new TransientActionError(`POST ${new URL(url).host} failed: ${(err as Error).message}`);
    }
    if (res.ok) return { status: 'done', detail: `POST ${new URL(url).host}: ${res.status}` };
    if (res.status === 429 || res.status >= 500) {
      throw new TransientActionError(`POST ${new URL(url).host}: ${res.status}`);
    }
    const answer = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, ANSWER_CHARS);
    return {
      status: 'failed',
      detail: `failed: POST ${new URL(url).host} answered ${res.status}${answer ? `: ${answer}` : ''}`,
    };
  }
}

const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Merge data with Slack's control characters escaped in every value: Slack reads `<…>` as links and mentions
 * (`<!channel>`), and prospects write their own traits. The step's own text keeps its markup.
 */
function slackEscaped<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/[&<>]/g, (c) => SLACK_ENTITIES[c] ?? c) as T;
  if (Array.isArray(value)) return value.map(slackEscaped) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, slackEscaped(v)])) as T;
  }
  return value;
}
