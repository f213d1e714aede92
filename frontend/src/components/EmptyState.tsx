import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export function EmptyState({
  icon,
  title,
  children,
  actions,
  testId,
}: {
  icon: IconName;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <section className="empty" aria-labelledby={testId ? `${testId}-title` : undefined} data-testid={testId}>
      <div className="empty__icon">
        <Icon name={icon} size={24} />
      </div>
      <h2 className="empty__title" id={testId ? `${testId}-title` : undefined}>
        {title}
      </h2>
      {children ? <div className="empty__body">{children}</div> : null}
      {actions ? <div className="empty__actions">{actions}</div> : null}
    </section>
  );
}
