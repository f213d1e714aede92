/** Activities of the retraining workflow (implemented in the backend's scoring module). */
export interface TrainCandidateResult {
  /** Null when the data cannot support a model yet; `message` says what is missing. */
  modelId: string | null;
  version: number | null;
  message: string;
}

export interface DecideCandidateResult {
  promoted: boolean;
  decision: string;
}

export interface RescorePageResult {
  scored: number;
  changed: number;
  /** Where the next page starts; null when everyone was scored. */
  next: string | null;
}

export interface IntelligenceActivities {
  /** Builds the training and evaluation windows ending at `asOf`, trains, evaluates, stores a candidate. */
  trainCandidate(input: { workspaceId: string; asOf: string }): Promise<TrainCandidateResult>;
  /** Promotes the candidate only if it is not worse than the active model on the same window. */
  decideCandidate(input: { workspaceId: string; modelId: string }): Promise<DecideCandidateResult>;
  /** Scores a page of active people with the active model; changes go on to CRM write-back and journeys. */
  rescorePage(input: { workspaceId: string; after: string | null; asOf: string }): Promise<RescorePageResult>;
}

export interface RetrainInput {
  workspaceId: string;
}

export interface RetrainResult {
  outcome: 'insufficient-data' | 'promoted' | 'rejected';
  message: string;
  modelId: string | null;
  version: number | null;
  rescored: number;
  changed: number;
}
