import type { paths } from '@/api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ws = '/api/workspaces/{workspaceId}';

export type JourneySummary = JsonOf<paths[`${Ws}/journeys`]['get']['responses'][200]>[number];
export type JourneyDetail = JsonOf<paths[`${Ws}/journeys/{journeyId}`]['get']['responses'][200]>;
export type JourneyStats = JsonOf<paths[`${Ws}/journeys/{journeyId}/stats`]['get']['responses'][200]>;
export type PublishPreview = JsonOf<
  paths[`${Ws}/journeys/{journeyId}/publish-preview`]['get']['responses'][200]
>;
export type Published = JsonOf<paths[`${Ws}/journeys/{journeyId}/publish`]['post']['responses'][201]>;
export type ControlResult = JsonOf<paths[`${Ws}/journeys/{journeyId}/pause`]['post']['responses'][200]>;
export type EmailTemplate = JsonOf<paths[`${Ws}/email-templates`]['get']['responses'][200]>[number];
export type MailboxEmail = JsonOf<paths[`${Ws}/mailbox`]['get']['responses'][200]>[number];
export type TemplatePreview = JsonOf<paths[`${Ws}/email-templates/preview`]['post']['responses'][200]>;
