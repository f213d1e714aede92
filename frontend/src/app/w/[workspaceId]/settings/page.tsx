import type { Metadata } from 'next';
import Link from 'next/link';
import { guardSection } from '@/lib/guard';
import { canAccess, roleLabel } from '@/lib/access';
import { PageHeader } from '@/components/PageHeader';
import { Icon, type IconName } from '@/components/Icon';

export const metadata: Metadata = { title: 'Settings' };

interface Card {
  key: string;
  icon: IconName;
  title: string;
  text: string;
  href?: string;
  testId?: string;
}

export default async function SettingsPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const g = await guardSection(workspaceId, 'settings');
  if (!g.ok) return g.node;
  const { workspace } = g;
  const base = `/w/${encodeURIComponent(workspace.id)}`;
  const role = workspace.role;

  const cards: Card[] = [
    ...(canAccess(role, 'settings.users')
      ? [
          {
            key: 'users',
            icon: 'users' as const,
            title: 'Users & roles',
            text: 'Invite people, change their roles and remove access.',
            href: `${base}/settings/users`,
            testId: 'settings-users-link',
          },
        ]
      : []),
    ...(canAccess(role, 'settings.taxonomy')
      ? [
          {
            key: 'taxonomy',
            icon: 'tag' as const,
            title: 'Event taxonomy',
            text: 'Map raw events and page URLs to canonical events, categories and intents.',
            href: `${base}/settings/taxonomy`,
            testId: 'settings-taxonomy-link',
          },
        ]
      : []),
    ...(canAccess(role, 'settings.privacy')
      ? [
          {
            key: 'privacy',
            icon: 'shield' as const,
            title: 'Privacy requests',
            text: 'Erase a person’s data and review past requests.',
            href: `${base}/settings/privacy`,
            testId: 'settings-privacy-link',
          },
        ]
      : []),
    ...(canAccess(role, 'connections')
      ? [
          {
            key: 'connections',
            icon: 'connections' as const,
            title: 'Connections',
            text: 'Segment sources, the event debugger, HubSpot and Salesforce.',
            href: `${base}/connections`,
          },
        ]
      : []),
    ...(canAccess(role, 'settings.model')
      ? [
          {
            key: 'stages',
            icon: 'layers' as const,
            title: 'Model and stages',
            text: 'Journey stages, the drop-off model card, retraining and the safety gate.',
            href: `${base}/settings/model`,
            testId: 'settings-model-link',
          },
        ]
      : []),
    ...(canAccess(role, 'settings.users')
      ? [
          {
            key: 'fields',
            icon: 'fields' as const,
            title: 'CRM field mapping',
            text: 'Choose where stage and risk are written.',
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader title="Settings" description="Manage this workspace and how Cairn works with your data." />

      <section className="panel workspace-facts" aria-labelledby="workspace-facts-title">
        <div className="empty__icon">
          <Icon name="building" size={22} />
        </div>
        <div className="workspace-facts__body">
          <h2 id="workspace-facts-title" className="panel__title">
            {workspace.name}
          </h2>
          <p className="muted small">
            Your role: <span className={`badge badge--${workspace.role}`}>{roleLabel(workspace.role)}</span>
            <span className="dot-sep" aria-hidden="true">
              ·
            </span>
            Workspace ID <code>{workspace.id}</code>
          </p>
        </div>
      </section>

      <ul className="settings-grid" aria-label="Settings sections">
        {cards.map((card) => (
          <li key={card.key}>
            {card.href ? (
              <Link className="settings-card settings-card--link" href={card.href} data-testid={card.testId}>
                <SettingsCardBody card={card} />
                <Icon name="chevronRight" size={18} className="settings-card__chevron" />
              </Link>
            ) : (
              <div className="settings-card settings-card--disabled" aria-disabled="true">
                <SettingsCardBody card={card} />
                <span className="badge badge--soon">Coming soon</span>
              </div>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function SettingsCardBody({ card }: { card: Card }) {
  return (
    <>
      <span className="settings-card__icon">
        <Icon name={card.icon} size={20} />
      </span>
      <span className="settings-card__text">
        <span className="settings-card__title">{card.title}</span>
        <span className="settings-card__desc">{card.text}</span>
      </span>
    </>
  );
}
