'use client';

import type { ReactNode } from 'react';
import styles from './charts.module.css';

/** The box every chart's tooltip uses. */
export function TooltipBox({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className={styles.tooltip}>
      <strong>{title}</strong>
      {children}
    </div>
  );
}
