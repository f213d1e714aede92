import type { ReactNode } from 'react';
import Link from 'next/link';
import { workspaceContext } from '@/lib/guard';
import { canAccess, homePath, roleLabel, type Section } from '@/lib/access';
import { initials } from '@/lib/format';
import { AuthFrame } from '@/components/AuthFrame';
import { Icon, Logo, type IconName } from '@/components/Icon';
import { SideNav, type NavItem } from '@/components/SideNav';
import { SignOutButton } from '@/components/SignOutButton';

export const dynamic = 'force-dynamic';

const SECTIONS: { section: Section; slug: string; label: string; icon: IconName }[] = [
  { section: 'journeys', slug: 'journeys', label: 'Journeys', icon: 'journeys' },
  { section: 'insights', slug: 'insights', label: 'Insights', icon: 'insights' },
  { section: 'prospects', slug: 'prospects', label: 'Prospects', icon: 'prospects' },
  { section: 'connections', slug: 'connections', label: 'Connections', icon: 'connections' },
  { section: 'settings', slug: 'settings', label: 'Settings', icon: 'settings' },
];

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ workspaceId: string }>;
}) {
  const { workspaceId } = await params;
  const { session, workspace } = await workspaceContext(workspaceId);

  if (!workspace) {
    const first = session.workspaces[0];
    return (
      <AuthFrame>
        <div className="auth-state" data-testid="workspace-not-found">
          <h1 className="auth-title">Workspace not found</h1>
          <p className="auth-subtitle">
            This workspace doesn’t exist, or <strong>{session.user.email}</strong> isn’t a member of it.
          </p>
          <div className="auth-actions">
            {first ? (
              <Link className="btn btn--primary" href={homePath(first.id, first.role)}>
                Open {first.name}
              </Link>
            ) : null}
            <SignOutButton />
          </div>
        </div>
      </AuthFrame>
    );
  }

  const base = `/w/${encodeURIComponent(workspace.id)}`;
  const items: NavItem[] = SECTIONS.filter((s) => canAccess(workspace.role, s.section)).map((s) => ({
    href: `${base}/${s.slug}`,
    label: s.label,
    icon: s.icon,
  }));
  const others = session.workspaces.filter((w) => w.id !== workspace.id);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link
          href={homePath(workspace.id, workspace.role)}
          className="sidebar__brand"
          aria-label="Cairn home"
        >
          <Logo size={28} />
          <span>Cairn</span>
        </Link>

        <div className="workspace" data-testid="workspace-switcher">
          {others.length > 0 ? (
            <details className="workspace__menu">
              <summary className="workspace__current">
                <WorkspaceBadge name={workspace.name} role={workspace.role} />
                <Icon name="chevronDown" size={16} className="workspace__chevron" />
              </summary>
              <ul className="workspace__list" aria-label="Switch workspace">
                {others.map((w) => (
                  <li key={w.id}>
                    <Link href={homePath(w.id, w.role)}>
                      <span className="workspace__avatar" aria-hidden="true">
                        {initials(w.name, w.name)}
                      </span>
                      <span className="truncate">{w.name}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </details>
          ) : (
            <div className="workspace__current">
              <WorkspaceBadge name={workspace.name} role={workspace.role} />
            </div>
          )}
        </div>

        <SideNav items={items} />

        <div className="sidebar__footer">
          <div className="user" data-testid="current-user">
            <span className="user__avatar" aria-hidden="true">
              {initials(session.user.name, session.user.email)}
            </span>
            <span className="user__text">
              <span className="user__name truncate">{session.user.name || session.user.email}</span>
              <span className="user__email truncate">{session.user.email}</span>
            </span>
          </div>
          <SignOutButton block />
        </div>
      </aside>
      <main className="main" id="main" tabIndex={-1}>
        <div className="main__inner">{children}</div>
      </main>
    </div>
  );
}

function WorkspaceBadge({ name, role }: { name: string; role: string }) {
  return (
    <>
      <span className="workspace__avatar" aria-hidden="true">
        {initials(name, name)}
      </span>
      <span className="workspace__text">
        <span className="workspace__name truncate" data-testid="workspace-name">
          {name}
        </span>
        <span className="workspace__role">{roleLabel(role)}</span>
      </span>
    </>
  );
}
