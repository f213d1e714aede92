'use client';

import { useEffect } from 'react';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div className="error-page" role="alert">
      <h1 className="page-title">Something went wrong</h1>
      <p className="page-description">
        Cairn couldn’t load this page. This is usually temporary — try again, and if it keeps happening, check
        that the Cairn API is running.
      </p>
      {error.digest ? <p className="muted small">Reference: {error.digest}</p> : null}
      <div className="row-actions">
        <button type="button" className="btn btn--primary" onClick={reset}>
          Try again
        </button>
      </div>
    </div>
  );
}
