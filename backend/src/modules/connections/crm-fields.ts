/** The values Cairn writes back to every synced person, in words a sales rep reads on the record. */
export interface WriteBackValues {
  stage: string | null;
  /** Drop-off risk, 0–100. */
  risk: number | null;
  /** The top reasons, one per line. */
  reasons: string[];
  scoredAt: Date;
}

export type CairnField = keyof WriteBackValues;

export const HUBSPOT_GROUP = { name: 'cairn', label: 'Cairn', displayOrder: -1 };

/** HubSpot contact properties in the "Cairn" group. */
export const HUBSPOT_FIELDS: Record<
  CairnField,
  { name: string; label: string; type: string; fieldType: string; description: string }
> = {
  stage: {
    name: 'cairn_journey_stage',
    label: 'Journey stage',
    type: 'string',
    fieldType: 'text',
    description: 'Where this person is in the journey, from observed behaviour (Cairn).',
  },
  risk: {
    name: 'cairn_dropoff_risk',
    label: 'Drop-off risk',
    type: 'number',
    fieldType: 'number',
    description: 'Chance, 0–100, that this person stalls without moving forward (Cairn).',
  },
  reasons: {
    name: 'cairn_top_reasons',
    label: 'Top reasons',
    type: 'string',
    fieldType: 'textarea',
    description: 'Why Cairn scored this person as it did.',
  },
  scoredAt: {
    name: 'cairn_scored_at',
    label: 'Scored at',
    type: 'datetime',
    fieldType: 'date',
    description: 'When Cairn last scored this person.',
  },
};

export const SALESFORCE_OBJECTS = ['Contact', 'Lead'] as const;

/** Salesforce custom fields created on Contact and Lead through the Tooling API. */
export const SALESFORCE_FIELDS: Record<
  CairnField,
  { apiName: string; label: string; metadata: Record<string, unknown> }
> = {
  stage: {
    apiName: 'Cairn_Journey_Stage__c',
    label: 'Journey stage',
    metadata: { type: 'Text', length: 80 },
  },
  risk: {
    apiName: 'Cairn_Dropoff_Risk__c',
    label: 'Drop-off risk',
    metadata: { type: 'Number', precision: 3, scale: 0 },
  },
  reasons: {
    apiName: 'Cairn_Top_Reasons__c',
    label: 'Top reasons',
    metadata: { type: 'LongTextArea', length: 2000, visibleLines: 3 },
  },
  scoredAt: { apiName: 'Cairn_Scored_At__c', label: 'Scored at', metadata: { type: 'DateTime' } },
};

/** Field values as the CRM wants them; `null` clears a field (used by erasure). */
export function fieldValues(v: WriteBackValues | null): Record<CairnField, string | number | null> {
  if (!v) return { stage: null, risk: null, reasons: null, scoredAt: null } as never;
  return {
    stage: v.stage,
    risk: v.risk === null ? null : Math.max(0, Math.min(100, Math.round(v.risk))),
    reasons: v.reasons.join('\n') || null,
    scoredAt: v.scoredAt.toISOString(),
  } as Record<CairnField, string | number | null>;
}

/** Values as the outbox stores them (JSON); `null` clears Cairn's fields. */
export interface StoredValues {
  stage: string | null;
  risk: number | null;
  reasons: string[];
  scoredAt: string;
}

export function storeValues(v: WriteBackValues | null): StoredValues | null {
  return v ? { stage: v.stage, risk: v.risk, reasons: v.reasons, scoredAt: v.scoredAt.toISOString() } : null;
}

export function loadValues(v: StoredValues | null): WriteBackValues | null {
  return v ? { stage: v.stage, risk: v.risk, reasons: v.reasons, scoredAt: new Date(v.scoredAt) } : null;
}

/**
 * What a sales rep would see change, as a comparable string: stage, risk as written (0–100, whole) and reasons.
 * A new scoring time alone is not a change, so rescoring a person to the same result sends nothing.
 */
export function contentKey(v: WriteBackValues | null): string {
  if (!v) return 'clear';
  const f = fieldValues(v);
  return JSON.stringify([f.stage, f.risk, f.reasons]);
}
