'use client';

import { useState, type FormEvent } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import type { CreatedInvite, Member, PendingInvite, Role } from '@/api/types';
import { ROLES, ROLE_DESCRIPTIONS, roleLabel } from '@/lib/access';
import { formatDate, formatExpiry, initials } from '@/lib/format';
import { CopyField } from '@/components/CopyField';
import { Icon } from '@/components/Icon';
import { useHydrated } from '@/lib/useHydrated';
import { ConfirmGroup } from '@/components/ConfirmGroup';

interface Props {
  workspaceId: string;
  currentUserId: string;
  initialMembers: Member[];
  initialInvites: PendingInvite[];
}

export function UsersAdmin({ workspaceId, currentUserId, initialMembers, initialInvites }: Props) {
  const [members, setMembers] = useState(initialMembers);
  const [invites, setInvites] = useState(initialInvites);
  const [tableError, setTableError] = useState<string | null>(null);
  const [busyRow, setBusyRow] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const hydrated = useHydrated();

  async function reload() {
    const [m, i] = await Promise.all([
      settle(api.GET('/api/workspaces/{workspaceId}/members', { params: { path: { workspaceId } } })),
      settle(api.GET('/api/workspaces/{workspaceId}/invites', { params: { path: { workspaceId } } })),
    ]);
    if (m.ok && m.result.data) setMembers(m.result.data);
    if (i.ok && i.result.data) setInvites(i.result.data);
  }

  async function changeRole(member: Member, role: string) {
    if (role === member.role) return;
    setBusyRow(member.userId);
    setTableError(null);
    const outcome = await settle(
      api.PATCH('/api/workspaces/{workspaceId}/members/{userId}', {
        params: { path: { workspaceId, userId: member.userId } },
        body: { role: role as Role },
      }),
    );
    setBusyRow(null);
    if (!outcome.ok) {
      setTableError(
        outcome.error.code === 'workspaces.last_admin'
          ? `${member.name || member.email} is the last admin. Make someone else an admin first.`
          : describeApiError(outcome.error),
      );
      return;
    }
    if (member.userId === currentUserId && role !== 'admin') {
      // You just gave up admin rights: this page is no longer yours to see.
      window.location.reload();
      return;
    }
    setMembers((list) =>
      list.map((m) => (m.userId === member.userId ? { ...m, role: role as Member['role'] } : m)),
    );
  }

  async function removeMember(member: Member) {
    setBusyRow(member.userId);
    setTableError(null);
    const outcome = await settle(
      api.DELETE('/api/workspaces/{workspaceId}/members/{userId}', {
        params: { path: { workspaceId, userId: member.userId } },
      }),
    );
    setBusyRow(null);
    setConfirmRemove(null);
    if (!outcome.ok) {
      setTableError(
        outcome.error.code === 'workspaces.last_admin'
          ? `${member.name || member.email} is the last admin and can’t be removed.`
          : describeApiError(outcome.error),
      );
      return;
    }
    if (member.userId === currentUserId) {
      window.location.assign('/');
      return;
    }
    setMembers((list) => list.filter((m) => m.userId !== member.userId));
  }

  async function revokeInvite(invite: PendingInvite) {
    setBusyRow(invite.id);
    setTableError(null);
    const outcome = await settle(
      api.DELETE('/api/workspaces/{workspaceId}/invites/{inviteId}', {
        params: { path: { workspaceId, inviteId: invite.id } },
      }),
    );
    setBusyRow(null);
    if (!outcome.ok && outcome.status !== 404) {
      setTableError(describeApiError(outcome.error));
      return;
    }
    setInvites((list) => list.filter((i) => i.id !== invite.id));
  }

  return (
    <div className="stack-lg">
      <InviteForm workspaceId={workspaceId} onCreated={reload} />

      {tableError ? (
        <div className="alert alert--error" role="alert" data-testid="users-error">
          <Icon name="alert" size={18} />
          <p>{tableError}</p>
          <button
            type="button"
            className="btn btn--ghost btn--sm alert__close"
            onClick={() => setTableError(null)}
          >
            Dismiss
          </button>
        </div>
      ) : null}

      <section className="panel panel--flush" aria-labelledby="members-title">
        <header className="panel__header">
          <h2 id="members-title" className="panel__title">
            Members <span className="count">{members.length}</span>
          </h2>
        </header>
        <div className="table-wrap">
          <table className="table" data-testid="members-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                <th scope="col" className="table__actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const you = m.userId === currentUserId;
                const label = m.name || m.email;
                const confirming = confirmRemove === m.userId;
                return (
                  <tr key={m.userId} data-testid="member-row" data-email={m.email}>
                    <td>
                      <div className="person">
                        <span className="person__avatar" aria-hidden="true">
                          {initials(m.name, m.email)}
                        </span>
                        <span className="person__text">
                          <span className="person__name">
                            {label}
                            {you ? <span className="badge badge--neutral">You</span> : null}
                          </span>
                          <span className="person__email">{m.email}</span>
                        </span>
                      </div>
                    </td>
                    <td>
                      <select
                        className="select select--compact"
                        aria-label={`Role for ${label}`}
                        value={m.role}
                        disabled={!hydrated || busyRow === m.userId}
                        onChange={(e) => void changeRole(m, e.target.value)}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {roleLabel(r)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="muted">
                      <time dateTime={m.joinedAt} suppressHydrationWarning>
                        {formatDate(m.joinedAt)}
                      </time>
                    </td>
                    <td className="table__actions">
                      {confirming ? (
                        <ConfirmGroup
                          inline
                          label={you ? 'Remove yourself?' : `Remove ${label}?`}
                          confirmLabel="Confirm remove"
                          busy={busyRow === m.userId}
                          onConfirm={() => void removeMember(m)}
                          onCancel={() => setConfirmRemove(null)}
                        />
                      ) : (
                        <button
                          type="button"
                          className="btn btn--ghost-danger btn--sm"
                          aria-label={`Remove ${label}`}
                          disabled={!hydrated}
                          onClick={() => setConfirmRemove(m.userId)}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel panel--flush" aria-labelledby="invites-title">
        <header className="panel__header">
          <h2 id="invites-title" className="panel__title">
            Pending invites <span className="count">{invites.length}</span>
          </h2>
        </header>
        {invites.length === 0 ? (
          <p className="panel__empty" data-testid="invites-empty">
            No pending invites. Invite someone above and share the link with them.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="invites-table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Expires</th>
                  <th scope="col" className="table__actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invites.map((i) => (
                  <tr key={i.id} data-testid="invite-row" data-email={i.email}>
                    <td>{i.email}</td>
                    <td>
                      <span className={`badge badge--${i.role}`}>{roleLabel(i.role)}</span>
                    </td>
                    <td className="muted">
                      <time dateTime={i.createdAt} suppressHydrationWarning>
                        {formatDate(i.createdAt)}
                      </time>
                    </td>
                    <td className="muted">
                      <time dateTime={i.expiresAt} suppressHydrationWarning>
                        {formatExpiry(i.expiresAt)}
                      </time>
                    </td>
                    <td className="table__actions">
                      <button
                        type="button"
                        className="btn btn--ghost-danger btn--sm"
                        aria-label={`Revoke invite for ${i.email}`}
                        disabled={!hydrated || busyRow === i.id}
                        onClick={() => void revokeInvite(i)}
                      >
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function InviteForm({ workspaceId, onCreated }: { workspaceId: string; onCreated: () => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('marketer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    if (!address) {
      setError('Enter the email address of the person to invite.');
      return;
    }
    setBusy(true);
    setError(null);
    setCreated(null);
    const outcome = await settle(
      api.POST('/api/workspaces/{workspaceId}/invites', {
        params: { path: { workspaceId } },
        body: { email: address, role },
      }),
    );
    setBusy(false);
    if (!outcome.ok) {
      setError(
        outcome.error.code === 'workspaces.already_member'
          ? `${address} is already a member of this workspace.`
          : describeApiError(outcome.error),
      );
      return;
    }
    if (outcome.result.data) setCreated(outcome.result.data);
    setEmail('');
    await onCreated();
  }

  return (
    <section className="panel" aria-labelledby="invite-title" data-testid="invite-panel">
      <h2 id="invite-title" className="panel__title">
        Invite user
      </h2>
      <p className="muted small panel__subtitle">
        Create an invite link and send it to your teammate. Links expire after a while and work once.
      </p>
      <form className="invite-form" onSubmit={onSubmit} data-testid="invite-form" noValidate>
        <div className="field invite-form__email">
          <label className="field__label" htmlFor="invite-email">
            Email
          </label>
          <input
            id="invite-email"
            className="input"
            type="email"
            name="email"
            autoComplete="off"
            placeholder="name@company.com"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </div>
        <div className="field invite-form__role">
          <label className="field__label" htmlFor="invite-role">
            Role
          </label>
          <select
            id="invite-role"
            className="select"
            name="role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            aria-describedby="invite-role-hint"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="invite-form__submit">
          <button type="submit" className="btn btn--primary" disabled={!hydrated || busy}>
            <Icon name="users" size={16} />
            {busy ? 'Creating…' : 'Create invite'}
          </button>
        </div>
      </form>
      <p className="field__hint" id="invite-role-hint">
        {roleLabel(role)}: {ROLE_DESCRIPTIONS[role]}.
      </p>

      {error ? (
        <div className="alert alert--error" role="alert" data-testid="invite-form-error">
          <Icon name="alert" size={18} />
          <p>{error}</p>
        </div>
      ) : null}

      {created ? (
        <div className="invite-created" data-testid="invite-created" role="status">
          <div className="invite-created__head">
            <Icon name="check" size={18} />
            <p>
              Invite created for <strong>{created.email}</strong> as {roleLabel(created.role)}. Email delivery
              isn’t set up yet — copy the link and send it yourself. <strong>It is shown only once.</strong>
            </p>
          </div>
          <CopyField label="Invite link" value={created.inviteUrl} testId="invite-link" />
          <button type="button" className="btn btn--ghost btn--sm" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      ) : null}
    </section>
  );
}
