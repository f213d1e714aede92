'use client';

import { useState, type FormEvent } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import { useHydrated } from '@/lib/useHydrated';
import { Icon } from '@/components/Icon';
import type { FieldMapping as Mapping } from './crm';

type Choice = Record<string, string>;

function choicesOf(m: Mapping): Choice {
  return Object.fromEntries(m.fields.map((f) => [f.key, f.mappedTo ?? '']));
}

/**
 * Where Cairn writes stage, risk, reasons and scoring time in the CRM: its own fields, or existing ones the admin
 * picks. Loaded when opened, since listing the CRM's fields is a call to the CRM.
 */
export function FieldMapping({
  workspaceId,
  connectionId,
  providerName,
}: {
  workspaceId: string;
  connectionId: string;
  providerName: string;
}) {
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [choice, setChoice] = useState<Choice>({});
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const hydrated = useHydrated();
  const path = { path: { workspaceId, connectionId } };

  async function load() {
    if (mapping || loading) return;
    setLoading(true);
    setError(null);
    const outcome = await settle(
      api.GET('/api/workspaces/{workspaceId}/connections/{connectionId}/fields', { params: path }),
    );
    setLoading(false);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    if (outcome.result.data) {
      setMapping(outcome.result.data);
      setChoice(choicesOf(outcome.result.data));
    }
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!mapping) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    const map = Object.fromEntries(mapping.fields.map((f) => [f.key, choice[f.key] || null]));
    const outcome = await settle(
      api.PUT('/api/workspaces/{workspaceId}/connections/{connectionId}/fields', {
        params: path,
        body: { map },
      }),
    );
    setBusy(false);
    if (!outcome.ok) {
      setError(describeApiError(outcome.error));
      return;
    }
    if (outcome.result.data) {
      setMapping(outcome.result.data);
      setChoice(choicesOf(outcome.result.data));
      setSaved('Saved. The next write-back uses these fields.');
    }
  }

  const changed = mapping ? mapping.fields.some((f) => (f.mappedTo ?? '') !== (choice[f.key] ?? '')) : false;

  return (
    <details
      className="crm-sync crm-fields"
      data-testid="crm-field-mapping"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void load();
      }}
    >
      <summary className="crm-sync__head">
        <h4>Field mapping</h4>
      </summary>
      {loading ? <p className="small muted">Reading {providerName}’s fields…</p> : null}
      {mapping ? (
        <form onSubmit={(e) => void save(e)} noValidate>
          <p className="small muted">
            Cairn writes to its own fields unless you choose an existing {providerName} field.
          </p>
          {mapping.fields.map((f) => {
            const id = `crm-map-${connectionId}-${f.key}`;
            const fits = mapping.available.filter((a) => f.key !== 'risk' || a.kind === 'number');
            return (
              <div className="field" key={f.key}>
                <label className="field__label" htmlFor={id}>
                  {f.label}
                </label>
                <select
                  id={id}
                  className="select select--compact"
                  value={choice[f.key] ?? ''}
                  disabled={!hydrated || busy}
                  onChange={(e) => {
                    setChoice((c) => ({ ...c, [f.key]: e.target.value }));
                    setSaved(null);
                  }}
                  data-testid={`crm-map-${f.key}`}
                >
                  <option value="">Cairn’s own field ({f.cairnField})</option>
                  {fits
                    .filter((a) => a.name !== f.cairnField)
                    .map((a) => (
                      <option key={a.name} value={a.name}>
                        {a.label} ({a.name})
                      </option>
                    ))}
                </select>
              </div>
            );
          })}
          <div className="crm-card__actions">
            <button
              type="submit"
              className="btn btn--secondary btn--sm"
              disabled={!hydrated || busy || !changed}
              data-testid="crm-map-save"
            >
              {busy ? 'Saving…' : 'Save mapping'}
            </button>
          </div>
        </form>
      ) : null}
      <p className="small" role="status" aria-live="polite" data-testid="crm-map-status">
        {saved}
      </p>
      {error ? (
        <div className="alert alert--error" role="alert" data-testid="crm-map-error">
          <Icon name="alert" size={18} />
          <p>{error}</p>
        </div>
      ) : null}
    </details>
  );
}
