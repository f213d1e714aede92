import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { EventDto } from '../events/events.dto';
import { EventsRepository } from '../events/events.repository';
import { IntelligenceService } from '../scoring/intelligence.service';
import {
  ProfileDto,
  ProfileSummaryDto,
  type ProspectCrmLinkDto,
  type ProfileJourneyDto,
  type ProfilesQuery,
  type StageLabel,
  type TimelineEventDto,
} from './profiles.dto';
import { ProfilesRepository, type CrmRecordRow } from './profiles.repository';

@Injectable()
export class ProfilesService {
  constructor(
    @Inject(ProfilesRepository) private readonly repo: ProfilesRepository,
    @Inject(EventsRepository) private readonly events: EventsRepository,
    @Inject(IntelligenceService) private readonly intelligence: IntelligenceService,
  ) {}

  /** Labels from the workspace's stage settings, defaults included: one read per request, not per row. */
  private async stageLabels(workspaceId: string): Promise<StageLabel> {
    const { stages } = await this.intelligence.getSettings(workspaceId);
    const labels = new Map(stages.map((s) => [s.key, s.label]));
    return (key) => labels.get(key) ?? key;
  }

  async list(workspaceId: string, q: ProfilesQuery): Promise<ProfileSummaryDto[]> {
    const [rows, label] = await Promise.all([
      this.repo.list(workspaceId, q.q?.trim() || undefined, q.limit ?? 50, q.sort, q.order),
      this.stageLabels(workspaceId),
    ]);
    return rows.map((r) => ProfileSummaryDto.from(r, label));
  }

  /** Stage, stage history, score with reasons and trend, and CRM records of one person. */
  async journey(workspaceId: string, id: string): Promise<ProfileJourneyDto> {
    if (!(await this.repo.get(workspaceId, id))) throw notFound();
    const [score, history, scores, crm, label] = await Promise.all([
      this.repo.score(workspaceId, id),
      this.repo.stageHistory(workspaceId, id),
      this.repo.scoreHistory(workspaceId, id),
      this.repo.crmRecords(workspaceId, id),
      this.stageLabels(workspaceId),
    ]);
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const risk = num(score?.risk);
    const riskBefore = num(score?.riskBefore);
    return {
      stage: score?.stage
        ? {
            key: score.stage,
            label: label(score.stage),
            index: num(score.stageIndex),
            enteredAt: iso(score.enteredAt),
            reason: score.stageReason,
          }
        : null,
      stageHistory: history.map((h) => ({
        from: h.fromStage,
        fromLabel: h.fromStage ? label(h.fromStage) : null,
        to: h.toStage,
        toLabel: label(h.toStage),
        reason: h.reason,
        at: new Date(h.at).toISOString(),
      })),
      score:
        score && score.scoredAt
          ? {
              risk,
              conversion: num(score.conversion),
              reasons: reasonsOf(score.reasons),
              scoredAt: new Date(score.scoredAt).toISOString(),
              riskBefore,
              trend: num(score.trend),
            }
          : null,
      scoreHistory: scores.map((s) => ({
        scoredAt: new Date(s.scoredAt).toISOString(),
        risk: num(s.risk),
        conversion: num(s.conversion),
        stage: s.stage,
      })),
      crm: crm.map(crmLink),
    };
  }

  async get(workspaceId: string, id: string): Promise<ProfileDto> {
    const p = await this.repo.get(workspaceId, id);
    if (!p) throw notFound();
    const [identities, merges, label] = await Promise.all([
      this.repo.identities(workspaceId, id),
      this.repo.merges(workspaceId, id),
      this.stageLabels(workspaceId),
    ]);
    return {
      ...ProfileSummaryDto.from(p, label),
      traits: p.traits,
      mergedInto: p.mergedInto,
      account: p.accountId ? { id: p.accountId, name: p.accountName, domain: p.accountDomain } : null,
      identities: identities.map((i) => ({ ...i, createdAt: new Date(i.createdAt).toISOString() })),
      merges: merges.map((m) => ({ ...m, mergedAt: new Date(m.mergedAt).toISOString() })),
    };
  }

  async timeline(
    workspaceId: string,
    id: string,
    before: string | undefined,
    limit: number,
  ): Promise<TimelineEventDto[]> {
    if (!(await this.repo.get(workspaceId, id))) throw notFound();
    const rows = await this.events.timeline(workspaceId, id, before ? new Date(before) : undefined, limit);
    return rows.map((r) => ({ ...EventDto.from(r), properties: r.properties ?? {} }));
  }
}

/** Reasons are stored as strings; tolerate objects with a text field from other writers. */
function reasonsOf(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .map((r) =>
      typeof r === 'string'
        ? r
        : r && typeof r === 'object'
          ? String((r as Record<string, unknown>)['text'] ?? (r as Record<string, unknown>)['reason'] ?? '')
          : '',
    )
    .filter(Boolean)
    .slice(0, 10);
}

const HUBSPOT_TYPES: Record<string, string> = { contacts: '0-1', companies: '0-2', deals: '0-3' };

/** The record's page in the CRM's own UI. */
export function crmUrl(
  r: Pick<CrmRecordRow, 'provider' | 'objectType' | 'externalId' | 'externalAccount' | 'instanceUrl'>,
) {
  if (r.provider === 'hubspot') {
    const type = HUBSPOT_TYPES[r.objectType];
    return type && r.externalAccount
      ? `https://app.hubspot.com/contacts/${encodeURIComponent(r.externalAccount)}/record/${type}/${encodeURIComponent(r.externalId)}`
      : null;
  }
  return r.instanceUrl
    ? `${r.instanceUrl.replace(/\/+$/, '')}/lightning/r/${encodeURIComponent(r.objectType)}/${encodeURIComponent(r.externalId)}/view`
    : null;
}

function crmLink(r: CrmRecordRow): ProspectCrmLinkDto {
  return {
    provider: r.provider,
    objectType: r.objectType,
    externalId: r.externalId,
    via: r.via,
    name: r.name,
    stage: r.stage,
    owner: r.owner,
    url: crmUrl(r),
  };
}

function notFound() {
  return new DomainError('profiles.not_found', 'No such person in this workspace.');
}
