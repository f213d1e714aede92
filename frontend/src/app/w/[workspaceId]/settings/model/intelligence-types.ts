import type { paths } from '@/api/schema';

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Base = '/api/workspaces/{workspaceId}/intelligence';

export type ModelCard = JsonOf<paths[`${Base}/model`]['get']['responses'][200]>;
export type ModelVersion = ModelCard['versions'][number];
export type IntelligenceSettings = JsonOf<paths[`${Base}/settings`]['get']['responses'][200]>;
export type StageCount = JsonOf<paths[`${Base}/stages`]['get']['responses'][200]>[number];
export type StageDiscovery = JsonOf<paths[`${Base}/stages/discover`]['post']['responses'][200]>;
