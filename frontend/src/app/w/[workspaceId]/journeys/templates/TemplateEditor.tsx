'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { EmailTemplate, TemplatePreview } from '@/components/journey-canvas/types';

const PREVIEW_DEBOUNCE_MS = 400;
const blank = {
  id: '',
  name: 'New template',
  subject: 'Hi {{first_name}}',
  body: '<p>Hi {{first_name}},</p>\n<p>…</p>',
};

/** Templates on the left; the selected one's editor, a preview with a real prospect and a test send. */
export function TemplateEditor({
  workspaceId,
  initial,
  canEdit,
  mailboxHref,
}: {
  workspaceId: string;
  initial: EmailTemplate[];
  canEdit: boolean;
  mailboxHref: string;
}) {
  const [templates, setTemplates] = useState(initial);
  const [draft, setDraft] = useState<{ id: string; name: string; subject: string; body: string }>(
    initial[0] ?? blank,
  );
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<{ id: string; label: string }[]>([]);
  const [profileId, setProfileId] = useState('');
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const path = useMemo(() => ({ workspaceId }), [workspaceId]);

  // Prospects to preview with: a search over the workspace's people.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => void searchPeople(), 250);
    async function searchPeople() {
      const r = await settle(
        api.GET('/api/workspaces/{workspaceId}/profiles', {
          params: { path, query: { limit: 10, ...(query.trim() ? { q: query.trim() } : {}) } },
        }),
      );
      if (!live || !r.ok) return;
      const list = (r.result.data ?? []).map((p) => ({
        id: p.id,
        label: [p.name, p.email, p.accountName].filter(Boolean).join(' · ') || p.id,
      }));
      setPeople(list);
      setProfileId((current) => current || list[0]?.id || '');
    }
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, path]);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => void render(), PREVIEW_DEBOUNCE_MS);
    async function render() {
      const r = await settle(
        api.POST('/api/workspaces/{workspaceId}/email-templates/preview', {
          params: { path },
          body: { subject: draft.subject, body: draft.body, ...(profileId ? { profileId } : {}) },
        }),
      );
      if (!live) return;
      if (r.ok && r.result.data) {
        setPreview(r.result.data);
        setPreviewError(null);
        setTo((current) => current || r.result.data?.to || '');
      } else if (!r.ok) setPreviewError(describeApiError(r.error));
    }
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [draft.subject, draft.body, profileId, path]);

  async function save() {
    setBusy(true);
    const body = { name: draft.name, subject: draft.subject, body: draft.body };
    const r = await settle(
      draft.id
        ? api.PUT('/api/workspaces/{workspaceId}/email-templates/{templateId}', {
            params: { path: { ...path, templateId: draft.id } },
            body,
          })
        : api.POST('/api/workspaces/{workspaceId}/email-templates', { params: { path }, body }),
    );
    setBusy(false);
    if (r.ok && r.result.data) {
      const saved = r.result.data;
      setTemplates((list) =>
        [...list.filter((t) => t.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)),
      );
      setDraft(saved);
      setMessage({ ok: true, text: 'Template saved.' });
    } else if (!r.ok) setMessage({ ok: false, text: describeApiError(r.error) });
  }

  async function remove() {
    if (!draft.id) return;
    const r = await settle(
      api.DELETE('/api/workspaces/{workspaceId}/email-templates/{templateId}', {
        params: { path: { ...path, templateId: draft.id } },
      }),
    );
    if (r.ok) {
      const rest = templates.filter((t) => t.id !== draft.id);
      setTemplates(rest);
      setDraft(rest[0] ?? blank);
      setMessage({ ok: true, text: 'Template deleted.' });
    } else setMessage({ ok: false, text: describeApiError(r.error) });
  }

  async function testSend() {
    setBusy(true);
    const r = await settle(
      api.POST('/api/workspaces/{workspaceId}/email-templates/test-send', {
        params: { path },
        body: {
          subject: draft.subject,
          body: draft.body,
          to,
          ...(profileId ? { profileId } : {}),
          ...(draft.id ? { templateId: draft.id } : {}),
        },
      }),
    );
    setBusy(false);
    if (r.ok) setMessage({ ok: true, text: `Test sent to ${to}: it is in the sandbox mailbox.` });
    else setMessage({ ok: false, text: describeApiError(r.error) });
  }

  return (
    <div className="jt-layout">
      <section className="panel" aria-label="Templates">
        <div className="panel__body panel__body--tight">
          <ul className="jt-list">
            {templates.map((t) => (
              <li key={t.id}>
                <button type="button" aria-current={t.id === draft.id} onClick={() => setDraft(t)}>
                  {t.name}
                </button>
              </li>
            ))}
          </ul>
          {canEdit ? (
            <button type="button" className="btn btn--secondary btn--sm" onClick={() => setDraft(blank)}>
              New template
            </button>
          ) : null}
        </div>
      </section>
      <section className="panel" aria-label="Template editor">
        <div className="panel__body stack-lg">
          {message ? (
            <p className={`alert ${message.ok ? 'alert--success' : 'alert--error'}`} role="status">
              {message.text}{' '}
              {message.ok && message.text.startsWith('Test') ? (
                <Link href={mailboxHref}>Open the mailbox</Link>
              ) : null}
            </p>
          ) : null}
          <fieldset className="form" disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0 }}>
            <div className="field">
              <label className="field__label" htmlFor="tpl-name">
                Name
              </label>
              <input
                id="tpl-name"
                className="input"
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              />
            </div>
            <div className="field">
              <label className="field__label" htmlFor="tpl-subject">
                Subject
              </label>
              <input
                id="tpl-subject"
                className="input"
                value={draft.subject}
                onChange={(e) => setDraft({ ...draft, subject: e.target.value })}
              />
            </div>
            <div className="field">
              <label className="field__label" htmlFor="tpl-body">
                Body (HTML)
              </label>
              <textarea
                id="tpl-body"
                className="input input--mono jc-textarea"
                rows={10}
                value={draft.body}
                onChange={(e) => setDraft({ ...draft, body: e.target.value })}
              />
              <p className="field__hint">
                Merge fields: {'{{first_name}}'}, {'{{last_name}}'}, {'{{email}}'}, {'{{account.name}}'},{' '}
                {'{{account.domain}}'} and any trait by name. Values are HTML-escaped.
              </p>
            </div>
            <div className="toolbar">
              <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void save()}>
                Save template
              </button>
              {draft.id ? (
                <button type="button" className="btn btn--ghost-danger" onClick={() => void remove()}>
                  Delete
                </button>
              ) : null}
            </div>
          </fieldset>
          <div className="field">
            <label className="field__label" htmlFor="tpl-person-search">
              Preview with a prospect
            </label>
            <div className="jc-row">
              <input
                id="tpl-person-search"
                className="input"
                placeholder="Search by name or email"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
              <select
                className="select"
                aria-label="Prospect"
                value={profileId}
                onChange={(e) => setProfileId(e.target.value)}
              >
                <option value="">No prospect (fields empty)</option>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="jt-preview" aria-label="Preview" data-testid="template-preview">
            {previewError ? <p className="alert alert--error">{previewError}</p> : null}
            {preview ? (
              <>
                <p className="muted small">To: {preview.to ?? '(no prospect)'}</p>
                <p className="jt-preview__subject">{preview.subject}</p>
                <iframe className="jt-frame" title="Email preview" sandbox="" srcDoc={preview.html} />
                {preview.missing.length ? (
                  <p className="field__hint field__hint--error">
                    Empty for this prospect: {preview.missing.map((m) => `{{${m}}}`).join(', ')}
                  </p>
                ) : null}
              </>
            ) : null}
          </div>
          {canEdit ? (
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void testSend();
              }}
            >
              <label className="field__label" htmlFor="tpl-test-to">
                Send a test to
              </label>
              <input
                id="tpl-test-to"
                type="email"
                className="input"
                value={to}
                required
                onChange={(e) => setTo(e.target.value)}
              />
              <button type="submit" className="btn btn--secondary" disabled={busy || !to}>
                Send test
              </button>
            </form>
          ) : null}
        </div>
      </section>
    </div>
  );
}
