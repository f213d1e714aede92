'use client';

import { useState } from 'react';
import { api } from '@/api/client';
import { Icon } from './Icon';
import { useHydrated } from '@/lib/useHydrated';

export function SignOutButton({ block = false }: { block?: boolean }) {
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function signOut() {
    setBusy(true);
    try {
      await api.POST('/api/auth/sign-out');
    } catch {
      // Signing out locally still makes sense when the API is unreachable.
    }
    // A full navigation drops every cached server-rendered page of the old session.
    window.location.assign('/sign-in');
  }

  return (
    <button
      type="button"
      className={`btn btn--ghost btn--sm${block ? ' signout' : ''}`}
      onClick={signOut}
      disabled={!hydrated || busy}
    >
      <Icon name="signOut" size={16} />
      {busy ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
