import Link from 'next/link';
import { homePath, roleLabel } from '@/lib/access';
import { Icon } from './Icon';

export function NoAccess({ workspaceId, role }: { workspaceId: string; role: string }) {
  return (
    <section className="empty empty--page" data-testid="no-access" aria-labelledby="no-access-title">
      <div className="empty__icon empty__icon--muted">
        <Icon name="lock" size={24} />
      </div>
      <h1 className="empty__title" id="no-access-title">
        You don’t have access
      </h1>
      <div className="empty__body">
        <p>
          Your role in this workspace is <strong>{roleLabel(role)}</strong>, which can’t open this page. Ask a
          workspace admin if you need access.
        </p>
      </div>
      <div className="empty__actions">
        <Link className="btn btn--secondary" href={homePath(workspaceId, role)}>
          Go to your start page
        </Link>
      </div>
    </section>
  );
}
