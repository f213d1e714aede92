import Link from 'next/link';
import { AuthFrame } from '@/components/AuthFrame';

export default function NotFound() {
  return (
    <AuthFrame>
      <h1 className="auth-title">Page not found</h1>
      <p className="auth-subtitle">The page you asked for doesn’t exist or has moved.</p>
      <div className="auth-actions">
        <Link className="btn btn--primary" href="/">
          Go to Cairn
        </Link>
      </div>
    </AuthFrame>
  );
}
