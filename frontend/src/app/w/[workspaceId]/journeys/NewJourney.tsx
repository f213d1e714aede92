'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';

/** "New journey": a name, then straight to the canvas. */
export function NewJourney({ workspaceId }: { workspaceId: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setError('Give the journey a name.');
    setBusy(true);
    const r = await settle(
      api.POST('/api/workspaces/{workspaceId}/journeys', {
        params: { path: { workspaceId } },
        body: { name: name.trim() },
      }),
    );
    if (r.ok && r.result.data) {
      router.push(`/w/${encodeURIComponent(workspaceId)}/journeys/${r.result.data.id}`);
      return;
    }
    setBusy(false);
    setError(r.ok ? 'The journey could not be created.' : describeApiError(r.error));
  }

  if (!open) {
    return (
      <button type="button" className="btn btn--primary" onClick={() => setOpen(true)}>
        New journey
      </button>
    );
  }
  return (
    <form className="inline-form" onSubmit={(e) => void create(e)} aria-label="New journey">
      <label className="visually-hidden" htmlFor="new-journey-name">
        Journey name
      </label>
      <input
        id="new-journey-name"
        className="input"
        placeholder="Journey name"
        value={name}
        autoFocus
        maxLength={120}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="btn btn--primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create'}
      </button>
      <button type="button" className="btn btn--ghost" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error ? (
        <p className="inline-form__error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
