'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { api } from '@/api/client';
import { describeApiError, retryAfterSeconds, settle } from '@/api/errors';
import { homePath } from '@/lib/access';
import { formatDuration } from '@/lib/format';
import { Icon } from '@/components/Icon';
import { useHydrated } from '@/lib/useHydrated';

type Failure = { kind: 'message'; message: string } | { kind: 'throttled'; retryAt: number };

export function SignInForm({ next }: { next: string | undefined }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const hydrated = useHydrated();

  const throttledFor = failure?.kind === 'throttled' ? Math.max(0, (failure.retryAt - now) / 1000) : 0;

  useEffect(() => {
    if (failure?.kind !== 'throttled') return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [failure]);

  useEffect(() => {
    if (failure?.kind === 'throttled' && throttledFor <= 0) setFailure(null);
  }, [failure, throttledFor]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || throttledFor > 0) return;
    setBusy(true);
    setFailure(null);
    const outcome = await settle(api.POST('/api/auth/sign-in', { body: { email: email.trim(), password } }));
    if (outcome.ok) {
      const session = outcome.result.data;
      const first = session?.workspaces[0];
      // Full navigation so every server component renders with the new session cookie.
      window.location.assign(next ?? (first ? homePath(first.id, first.role) : '/'));
      return;
    }
    setBusy(false);
    const { error, status } = outcome;
    if (status === 429 || error.code === 'auth.too_many_attempts') {
      const wait = retryAfterSeconds(error) ?? 60;
      setNow(Date.now());
      setFailure({ kind: 'throttled', retryAt: Date.now() + wait * 1000 });
    } else if (status === 401 || error.code === 'auth.invalid_credentials') {
      setFailure({ kind: 'message', message: 'Incorrect email or password. Check both and try again.' });
      setPassword('');
    } else {
      setFailure({ kind: 'message', message: describeApiError(error) });
    }
  }

  return (
    <form
      className="form"
      method="post"
      onSubmit={onSubmit}
      aria-describedby={failure ? 'sign-in-error' : undefined}
    >
      {failure ? (
        <div className="alert alert--error" role="alert" id="sign-in-error" data-testid="sign-in-error">
          <Icon name="alert" size={18} />
          <p>
            {failure.kind === 'throttled'
              ? `Too many sign-in attempts. Try again in ${formatDuration(throttledFor || 1)}.`
              : failure.message}
          </p>
        </div>
      ) : null}
      <div className="field">
        <label className="field__label" htmlFor="sign-in-email">
          Email
        </label>
        <input
          id="sign-in-email"
          className="input"
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="sign-in-password">
          Password
        </label>
        <input
          id="sign-in-password"
          className="input"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button
        type="submit"
        className="btn btn--primary btn--block"
        disabled={!hydrated || busy || throttledFor > 0}
      >
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
