'use client';

import { useState, type FormEvent } from 'react';
import { api } from '@/api/client';
import { describeApiError, retryAfterSeconds, settle } from '@/api/errors';
import { homePath } from '@/lib/access';
import { formatDuration } from '@/lib/format';
import { Icon } from '@/components/Icon';
import { useHydrated } from '@/lib/useHydrated';

const MIN_PASSWORD = 12;

export function AcceptInviteForm({
  token,
  email,
  workspaceId,
  workspaceName,
  accountExists,
}: {
  token: string;
  email: string;
  workspaceId: string;
  workspaceName: string;
  accountExists: boolean;
}) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const hydrated = useHydrated();

  const tooShort = !accountExists && password.length > 0 && password.length < MIN_PASSWORD;
  const mismatch = !accountExists && confirm.length > 0 && confirm !== password;

  function validate(): string | null {
    if (accountExists) return password ? null : 'Enter your password.';
    if (!name.trim()) return 'Enter your name.';
    if (password.length < MIN_PASSWORD) return `Choose a password of at least ${MIN_PASSWORD} characters.`;
    if (password !== confirm) return 'The passwords don’t match.';
    return null;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    const invalid = validate();
    if (invalid) {
      setError(invalid);
      return;
    }
    setBusy(true);
    setError(null);
    // `name` is ignored by the API when the account exists, so it is left out then.
    const body = (accountExists ? { password } : { name: name.trim(), password }) as {
      name: string;
      password: string;
    };
    const outcome = await settle(
      api.POST('/api/invites/{token}/accept', { params: { path: { token } }, body }),
    );
    if (outcome.ok) {
      const workspaces = outcome.result.data?.workspaces ?? [];
      const joined = workspaces.find((w) => w.id === workspaceId) ?? workspaces[0];
      window.location.assign(joined ? homePath(joined.id, joined.role) : '/');
      return;
    }
    setBusy(false);
    const { error: e, status } = outcome;
    if (status === 401) setError(`That password doesn’t match the Cairn account for ${email}.`);
    else if (status === 410) setError('This invite has expired. Ask the workspace admin for a new link.');
    else if (status === 404)
      setError('This invite is no longer valid. It may have been revoked or already used.');
    else if (status === 429) {
      const wait = retryAfterSeconds(e);
      setError(`Too many attempts. Try again${wait ? ` in ${formatDuration(wait)}` : ' later'}.`);
    } else setError(describeApiError(e));
  }

  return (
    <form className="form" method="post" onSubmit={onSubmit} noValidate>
      {accountExists ? (
        <p className="form__intro">
          You already have a Cairn account for <strong>{email}</strong>. Enter its password to join.
        </p>
      ) : (
        <p className="form__intro">Set up your account to join the workspace.</p>
      )}
      {error ? (
        <div className="alert alert--error" role="alert" data-testid="invite-error">
          <Icon name="alert" size={18} />
          <p>{error}</p>
        </div>
      ) : null}
      {accountExists ? null : (
        <div className="field">
          <label className="field__label" htmlFor="invite-name">
            Name
          </label>
          <input
            id="invite-name"
            className="input"
            name="name"
            autoComplete="name"
            required
            autoFocus
            aria-invalid={touched && !name.trim() ? true : undefined}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
      )}
      {/* Lets password managers store the new credentials under the right account. */}
      <input type="email" name="email" autoComplete="username" value={email} readOnly hidden />
      <div className="field">
        <label className="field__label" htmlFor="invite-password">
          Password
        </label>
        <input
          id="invite-password"
          className="input"
          type="password"
          name="password"
          autoComplete={accountExists ? 'current-password' : 'new-password'}
          required
          autoFocus={accountExists}
          minLength={accountExists ? undefined : MIN_PASSWORD}
          aria-describedby={accountExists ? undefined : 'invite-password-hint'}
          aria-invalid={tooShort && touched ? true : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {accountExists ? null : (
          <p
            className={`field__hint${tooShort && touched ? ' field__hint--error' : ''}`}
            id="invite-password-hint"
          >
            At least {MIN_PASSWORD} characters.
          </p>
        )}
      </div>
      {accountExists ? null : (
        <div className="field">
          <label className="field__label" htmlFor="invite-confirm">
            Confirm password
          </label>
          <input
            id="invite-confirm"
            className="input"
            type="password"
            name="confirm"
            autoComplete="new-password"
            required
            aria-invalid={mismatch ? true : undefined}
            aria-describedby={mismatch ? 'invite-confirm-hint' : undefined}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
          {mismatch ? (
            <p className="field__hint field__hint--error" id="invite-confirm-hint">
              The passwords don’t match.
            </p>
          ) : null}
        </div>
      )}
      <button type="submit" className="btn btn--primary btn--block" disabled={!hydrated || busy}>
        {busy ? 'Joining…' : `Join ${workspaceName}`}
      </button>
    </form>
  );
}
