import type { Metadata } from 'next';
import Link from 'next/link';
import { InsightsFrame } from './InsightsFrame';
import { openView, viewHref, type InsightsPageProps } from './data';
import styles from './insights.module.css';

export const metadata: Metadata = { title: 'Insights' };

export default async function InsightsPage(props: InsightsPageProps) {
  const page = await openView(props, 'overview');
  if (!page.ok) return page.node;
  const base = `/w/${encodeURIComponent(page.workspace.id)}`;
  return (
    <InsightsFrame
      workspace={page.workspace}
      title="Insights"
      description="Where people drop off, what moves them forward and what changed — in plain words, with the evidence one click away."
      query={page.query}
      loaded={page.loaded}
    >
      {(data) => (
        <div className={styles.answers} data-testid="overview-answers">
          {data.answers.map((a) => {
            const href =
              a.evidence.view === 'prospects'
                ? `${base}/prospects?${new URLSearchParams(a.evidence.query).toString()}`
                : viewHref(base, a.evidence.view, page.query, a.evidence.query);
            return (
              <article
                key={a.id}
                className={`${styles.answer} ${a.status === 'no-data' ? styles.noData : ''}`}
                data-testid={`overview-${a.id}`}
                aria-labelledby={`q-${a.id}`}
              >
                <h2 id={`q-${a.id}`}>{a.question}</h2>
                <p className={styles.answerText} data-testid="overview-answer">
                  {a.answer}
                </p>
                {a.detail ? <p className={styles.answerDetail}>{a.detail}</p> : null}
                <Link className={styles.answerLink} href={href} data-testid={`overview-evidence-${a.id}`}>
                  {a.evidence.label} →
                </Link>
              </article>
            );
          })}
        </div>
      )}
    </InsightsFrame>
  );
}
