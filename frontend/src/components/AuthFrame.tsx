import type { ReactNode } from 'react';
import { Logo } from './Icon';

/** Centered card used by sign-in, invite and other signed-out pages. */
export function AuthFrame({ children, footer }: { children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="auth">
      <main className="auth__main">
        <div className="auth__brand">
          <Logo size={32} />
          <span>Cairn</span>
        </div>
        <div className="auth__card">{children}</div>
        {footer ? <div className="auth__footer">{footer}</div> : null}
      </main>
    </div>
  );
}
