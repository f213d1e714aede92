'use client';

import { useEffect, useRef, useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { Published, PublishPreview } from './types';

/**
 * Publish: what stops it (each error links to its step) or what changes since the live version, then the
 * new version and what happens to people already inside.
 */
export function PublishDialog({
  workspaceId,
  journeyId,
  beforeOpen,
  onClose,
  onPublished,
  onSelectNode,
}: {
  workspaceId: string;
  journeyId: string;
  /** Flushes the autosave, so the preview is of what is on screen. */
  beforeOpen: () => Promise<boolean>;
  onClose: () => void;
  onPublished: (p: Published) => void;
  onSelectNode: (nodeId: string) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [preview, setPreview] = useState<PublishPreview | null>(null);
  const [published, setPublished] = useState<Published | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { workspaceId, journeyId } } };

  useEffect(() => {
    dialog.current?.showModal();
    let live = true;
    void (async () => {
      if (!(await beforeOpen())) {
        if (live) setError('The draft could not be saved; publish after it is.');
        return;
      }
      const r = await settle(
        api.GET('/api/workspaces/{workspaceId}/journeys/{journeyId}/publish-preview', path),
      );
      if (!live) return;
      if (r.ok) setPreview(r.result.data ?? null);
      else setError(describeApiError(r.error));
    })();
    return () => {
      live = false;
    };
  }, []);

  async function publish() {
    setBusy(true);
    const r = await settle(api.POST('/api/workspaces/{workspaceId}/journeys/{journeyId}/publish', path));
    setBusy(false);
    if (r.ok && r.result.data) {
      setPublished(r.result.data);
      onPublished(r.result.data);
    } else if (!r.ok) setError(describeApiError(r.error));
  }

  return (
    <dialog
      ref={dialog}
      className="jc-dialog"
      aria-labelledby="publish-title"
      onClose={onClose}
      data-testid="publish-dialog"
    >
      <h2 id="publish-title" className="jc-dialog__title">
        {published ? `Version ${published.version} is live` : `Publish version ${preview?.nextVersion ?? ''}`}
      </h2>
      {error ? (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      ) : null}
      {!preview && !error ? <p className="muted">Checking the journey…</p> : null}
      {published ? (
        <>
          <p data-testid="publish-effect">{published.effect}</p>
          <ChangeList changes={published.changes} />
        </>
      ) : preview && !preview.ok ? (
        <>
          <p>Fix these before publishing:</p>
          <ul className="jc-dialog__list" data-testid="publish-errors">
            {preview.errors.map((e, i) => (
              <li key={i}>
                {e.nodeId ? (
                  <button
                    type="button"
                    className="jc-link"
                    onClick={() => {
                      onSelectNode(e.nodeId!);
                      dialog.current?.close();
                    }}
                  >
                    {e.nodeId}
                  </button>
                ) : null}{' '}
                {e.message}
              </li>
            ))}
          </ul>
        </>
      ) : preview ? (
        <>
          <p>
            {preview.nextVersion === 1
              ? 'The journey goes live: people who match the trigger from now on enter it.'
              : 'People already inside keep their version; new entrants get this one.'}
          </p>
          <h3 className="jc-panel__subtitle">What changes</h3>
          <ChangeList changes={preview.changes} />
        </>
      ) : null}
      <div className="jc-dialog__actions">
        <button type="button" className="btn btn--secondary" onClick={() => dialog.current?.close()}>
          {published ? 'Close' : 'Cancel'}
        </button>
        {!published && preview?.ok ? (
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void publish()}>
            {busy ? 'Publishing…' : `Publish version ${preview.nextVersion}`}
          </button>
        ) : null}
      </div>
    </dialog>
  );
}

function ChangeList({ changes }: { changes: { kind: string; summary: string }[] }) {
  if (!changes.length) return <p className="muted">No changes since the live version.</p>;
  return (
    <ul className="jc-dialog__list" data-testid="publish-changes">
      {changes.map((c, i) => (
        <li key={i} className={`jc-change jc-change--${c.kind}`}>
          {c.summary}
        </li>
      ))}
    </ul>
  );
}
