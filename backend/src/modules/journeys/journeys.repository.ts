import { Inject, Injectable } from '@nestjs/common';
import type { CanvasGraph, JourneyDefinition } from '@cairn/workflows';
import { DataSource, type EntityManager } from 'typeorm';

export type JourneyStatus = 'draft' | 'active' | 'paused' | 'archived';

export interface JourneyRow {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  status: JourneyStatus;
  draft: CanvasGraph;
  draftRevision: number;
  draftUpdatedAt: Date;
  currentVersionId: string | null;
  currentVersion: number | null;
  controlSeq: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface JourneyListRow extends Omit<JourneyRow, 'draft'> {
  inside: number;
  enrolled: number;
}

export interface VersionRow {
  id: string;
  journeyId: string;
  workspaceId: string;
  version: number;
  definition: JourneyDefinition;
  canvas: CanvasGraph;
  publishedAt: Date;
  publishedBy: string | null;
}

export interface ActiveJourney {
  journeyId: string;
  versionId: string;
  definition: JourneyDefinition;
}

export interface EnrollmentRow {
  id: string;
  journeyId: string;
  versionId: string;
  profileId: string;
  workflowId: string;
  entry: number;
  status: 'active' | 'completed' | 'exited';
  enteredAt: Date;
  closedAt: Date | null;
}

const JOURNEY = `j.id, j.workspace_id AS "workspaceId", j.name, j.description, j.status, j.draft_revision AS "draftRevision",
  j.draft_updated_at AS "draftUpdatedAt", j.current_version_id AS "currentVersionId",
  (SELECT v.version FROM journey_versions v WHERE v.id = j.current_version_id) AS "currentVersion",
  j.control_seq AS "controlSeq", j.created_at AS "createdAt", j.updated_at AS "updatedAt"`;

const VERSION = `id, journey_id AS "journeyId", workspace_id AS "workspaceId", version, definition, canvas,
  published_at AS "publishedAt", published_by AS "publishedBy"`;

const ENROLLMENT = `id, journey_id AS "journeyId", version_id AS "versionId", profile_id AS "profileId",
  workflow_id AS "workflowId", entry, status, entered_at AS "enteredAt", closed_at AS "closedAt"`;

/** How an enrolment whose workflow never started is closed (its finish reason starts so). */
const NOT_STARTED = 'could not start';

/** All SQL of journeys, their versions and who is inside them. */
@Injectable()
export class JourneysRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  list(workspaceId: string): Promise<JourneyListRow[]> {
    return this.ds.query(
      `SELECT ${JOURNEY},
              (SELECT count(*)::int FROM journey_enrollments e WHERE e.journey_id = j.id AND e.status = 'active') AS inside,
              (SELECT count(*)::int FROM journey_enrollments e WHERE e.journey_id = j.id) AS enrolled
         FROM journeys j WHERE j.workspace_id = $1
        ORDER BY j.status = 'archived', j.updated_at DESC`,
      [workspaceId],
    );
  }

  async get(workspaceId: string, id: string, em: EntityManager = this.ds.manager, lock = false) {
    const [row] = await em.query(
      `SELECT ${JOURNEY}, j.draft FROM journeys j WHERE j.workspace_id = $1 AND j.id = $2 ${lock ? 'FOR UPDATE' : ''}`,
      [workspaceId, id],
    );
    return (row ?? null) as JourneyRow | null;
  }

  async create(
    workspaceId: string,
    userId: string,
    name: string,
    description: string | null,
    draft: CanvasGraph,
  ) {
    const [row] = await this.ds.query(
      `INSERT INTO journeys (workspace_id, name, description, draft, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [workspaceId, name, description, JSON.stringify(draft), userId],
    );
    return row.id as string;
  }

  /** Saves the draft when `baseRevision` is current (or not given); null when someone saved in between. */
  async saveDraft(
    workspaceId: string,
    id: string,
    draft: CanvasGraph,
    baseRevision: number | undefined,
    meta: { name?: string; description?: string | null },
  ): Promise<{ revision: number; savedAt: Date } | null> {
    const [rows] = await this.ds.query(
      `UPDATE journeys SET draft = $3, draft_revision = draft_revision + 1, draft_updated_at = now(), updated_at = now(),
              name = COALESCE($5, name), description = CASE WHEN $6::boolean THEN $7 ELSE description END
        WHERE workspace_id = $1 AND id = $2 AND ($4::int IS NULL OR draft_revision = $4)
        RETURNING draft_revision AS revision, draft_updated_at AS "savedAt"`,
      [
        workspaceId,
        id,
        JSON.stringify(draft),
        baseRevision ?? null,
        meta.name ?? null,
        meta.description !== undefined,
        meta.description ?? null,
      ],
    );
    return rows[0] ?? null;
  }

  async latestVersion(journeyId: string, em: EntityManager = this.ds.manager): Promise<VersionRow | null> {
    const [row] = await em.query(
      `SELECT ${VERSION} FROM journey_versions WHERE journey_id = $1 ORDER BY version DESC LIMIT 1`,
      [journeyId],
    );
    return row ?? null;
  }

  async insertVersion(
    em: EntityManager,
    j: { journeyId: string; workspaceId: string; version: number; userId: string },
    definition: JourneyDefinition,
    canvas: CanvasGraph,
  ): Promise<VersionRow> {
    const [row] = await em.query(
      `INSERT INTO journey_versions (journey_id, workspace_id, version, definition, canvas, published_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${VERSION}`,
      [j.journeyId, j.workspaceId, j.version, JSON.stringify(definition), JSON.stringify(canvas), j.userId],
    );
    // Publishing a paused journey keeps it paused; a draft or archived one goes live.
    await em.query(
      `UPDATE journeys SET current_version_id = $2, updated_at = now(),
              status = CASE WHEN status = 'paused' THEN 'paused' ELSE 'active' END
        WHERE id = $1`,
      [j.journeyId, row.id],
    );
    return row;
  }

  versions(journeyId: string): Promise<Omit<VersionRow, 'definition' | 'canvas'>[]> {
    return this.ds.query(
      `SELECT id, journey_id AS "journeyId", workspace_id AS "workspaceId", version, published_at AS "publishedAt",
              published_by AS "publishedBy"
         FROM journey_versions WHERE journey_id = $1 ORDER BY version DESC`,
      [journeyId],
    );
  }

  async version(workspaceId: string, journeyId: string, versionId: string): Promise<VersionRow | null> {
    const [row] = await this.ds.query(
      `SELECT ${VERSION} FROM journey_versions WHERE workspace_id = $1 AND journey_id = $2 AND id = $3`,
      [workspaceId, journeyId, versionId],
    );
    return row ?? null;
  }

  /** A version with its journey's state, for the interpreter. */
  async versionForRun(versionId: string) {
    const [row] = await this.ds.query(
      `SELECT v.definition, j.status, j.control_seq AS "controlSeq"
         FROM journey_versions v JOIN journeys j ON j.id = v.journey_id WHERE v.id = $1`,
      [versionId],
    );
    return (row ?? null) as {
      definition: JourneyDefinition;
      status: JourneyStatus;
      controlSeq: number;
    } | null;
  }

  /** Sets the status and bumps the control sequence; returns the new sequence. */
  async setStatus(em: EntityManager, id: string, status: JourneyStatus): Promise<number> {
    const [rows] = await em.query(
      `UPDATE journeys SET status = $2, control_seq = control_seq + 1, updated_at = now() WHERE id = $1
       RETURNING control_seq AS seq`,
      [id, status],
    );
    return rows[0].seq;
  }

  /** Workflows still running for a journey (on the path or watching for the goal). */
  openWorkflows(journeyId: string, onPathOnly = false): Promise<{ workflowId: string; id: string }[]> {
    return this.ds.query(
      `SELECT workflow_id AS "workflowId", id FROM journey_enrollments
        WHERE journey_id = $1 AND closed_at IS NULL ${onPathOnly ? `AND status = 'active'` : ''}`,
      [journeyId],
    );
  }

  async countInside(journeyId: string): Promise<number> {
    const [row] = await this.ds.query(
      `SELECT count(*)::int AS n FROM journey_enrollments WHERE journey_id = $1 AND status = 'active'`,
      [journeyId],
    );
    return row.n;
  }

  /** Published, running journeys of a workspace with their current version. */
  activeJourneys(workspaceId: string): Promise<{ journeyId: string; versionId: string }[]> {
    return this.ds.query(
      `SELECT id AS "journeyId", current_version_id AS "versionId" FROM journeys
        WHERE workspace_id = $1 AND status = 'active' AND current_version_id IS NOT NULL`,
      [workspaceId],
    );
  }

  async definitions(versionIds: string[]): Promise<Map<string, JourneyDefinition>> {
    if (!versionIds.length) return new Map();
    const rows: { id: string; definition: JourneyDefinition }[] = await this.ds.query(
      `SELECT id, definition FROM journey_versions WHERE id = ANY($1::uuid[])`,
      [versionIds],
    );
    return new Map(rows.map((r) => [r.id, r.definition]));
  }

  /** The person's id after merges, and their consent; null when there is no such person. */
  async person(workspaceId: string, profileId: string) {
    const [row] = await this.ds.query(
      `WITH RECURSIVE chain(id, merged_into, depth) AS (
         SELECT id, merged_into, 0 FROM profiles WHERE workspace_id = $1 AND id = $2
         UNION ALL
         SELECT p.id, p.merged_into, c.depth + 1 FROM profiles p JOIN chain c ON p.id = c.merged_into WHERE c.depth < 10
       )
       SELECT c.id, p.consent FROM chain c JOIN profiles p ON p.id = c.id WHERE c.merged_into IS NULL LIMIT 1`,
      [workspaceId, profileId],
    );
    return (row ?? null) as { id: string; consent: 'unknown' | 'granted' | 'denied' } | null;
  }

  openEnrollments(workspaceId: string, profileId: string): Promise<EnrollmentRow[]> {
    return this.ds.query(
      `SELECT ${ENROLLMENT} FROM journey_enrollments
        WHERE workspace_id = $1 AND profile_id = $2 AND closed_at IS NULL`,
      [workspaceId, profileId],
    );
  }

  /**
   * Enrols under the journey's entry policy, in one transaction serialised per (journey, person): none while
   * they are inside; with `once`, never again; with re-entry, not before `afterDays` since they last entered.
   * An entry whose workflow could not be started (`abandonEnrollment`) was never an entry: the next attempt (the
   * retried step, the re-routed trigger) takes it up again, under the same entry number.
   */
  async enroll(args: {
    workspaceId: string;
    journeyId: string;
    versionId: string;
    profileId: string;
    workflowId: string;
    entry: { policy: 'once' } | { policy: 're_entry'; afterDays: number };
    trigger: unknown;
  }): Promise<
    | { enrolled: true; enrollmentId: string; entry: number }
    | { enrolled: false; reason: 'inside' | 'once' | 'too_soon' | 'not_active' }
  > {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))`, [
        args.journeyId,
        args.profileId,
      ]);
      const [journey] = await em.query(
        `SELECT status FROM journeys WHERE id = $1 AND current_version_id = $2`,
        [args.journeyId, args.versionId],
      );
      if (journey?.status !== 'active') return { enrolled: false, reason: 'not_active' } as const;
      const [last] = await em.query(
        `SELECT id, entry, status, entered_at AS "enteredAt", finish_reason LIKE $3 AS "notStarted"
           FROM journey_enrollments WHERE journey_id = $1 AND profile_id = $2 ORDER BY entry DESC LIMIT 1`,
        [args.journeyId, args.profileId, `${NOT_STARTED}%`],
      );
      if (last?.notStarted) {
        await em.query(
          `UPDATE journey_enrollments SET version_id = $2, workflow_id = $3, trigger = $4, status = 'active',
                  entered_at = now(), finish_reason = NULL, finished_at = NULL, closed_at = NULL
            WHERE id = $1`,
          [last.id, args.versionId, args.workflowId, JSON.stringify(args.trigger ?? null)],
        );
        return { enrolled: true, enrollmentId: last.id as string, entry: last.entry as number } as const;
      }
      if (last) {
        if (last.status === 'active') return { enrolled: false, reason: 'inside' } as const;
        if (args.entry.policy === 'once') return { enrolled: false, reason: 'once' } as const;
        const ageMs = Date.now() - new Date(last.enteredAt).getTime();
        if (ageMs < args.entry.afterDays * 86_400_000)
          return { enrolled: false, reason: 'too_soon' } as const;
      }
      const entry = (last?.entry ?? 0) + 1;
      const [row] = await em.query(
        `INSERT INTO journey_enrollments (workspace_id, journey_id, version_id, profile_id, workflow_id, entry, trigger)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          args.workspaceId,
          args.journeyId,
          args.versionId,
          args.profileId,
          args.workflowId,
          entry,
          JSON.stringify(args.trigger ?? null),
        ],
      );
      return { enrolled: true, enrollmentId: row.id as string, entry } as const;
    });
  }

  /** The enrolment's workflow could not be started: closed, until `enroll` takes it up again. */
  async abandonEnrollment(enrollmentId: string, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE journey_enrollments SET status = 'exited', finish_reason = $2, finished_at = now(), closed_at = now()
        WHERE id = $1`,
      [enrollmentId, `${NOT_STARTED}: ${error}`],
    );
  }

  async markClosed(workflowId: string): Promise<void> {
    await this.ds.query(
      `UPDATE journey_enrollments SET closed_at = now(),
              status = CASE WHEN status = 'active' THEN 'exited' ELSE status END,
              finish_reason = COALESCE(finish_reason, 'workflow not found'), finished_at = COALESCE(finished_at, now())
        WHERE workflow_id = $1 AND closed_at IS NULL`,
      [workflowId],
    );
  }

  // ------------------------------------------------------------------------------------------ run records

  async recordStep(
    e: { enrollmentId: string; journeyId: string; versionId: string },
    nodeId: string,
    visit: number,
  ) {
    await this.ds.query(
      // Nothing to record for an enrolment erased with its person.
      `WITH step AS (
         INSERT INTO journey_steps (enrollment_id, node_id, visit, journey_id, version_id)
         SELECT id, $2, $3, $4, $5 FROM journey_enrollments WHERE id = $1
         ON CONFLICT DO NOTHING)
       UPDATE journey_enrollments SET current_node_id = $2 WHERE id = $1 AND status = 'active'`,
      [e.enrollmentId, nodeId, visit, e.journeyId, e.versionId],
    );
  }

  async recordArm(enrollmentId: string, arm: 'treatment' | 'control') {
    await this.ds.query(`UPDATE journey_enrollments SET arm = COALESCE(arm, $2) WHERE id = $1`, [
      enrollmentId,
      arm,
    ]);
  }

  async recordConversion(enrollmentId: string, nodeId: string | null) {
    await this.ds.query(
      `UPDATE journey_enrollments SET converted_at = COALESCE(converted_at, now()),
              converted_node_id = COALESCE(converted_node_id, $2) WHERE id = $1`,
      [enrollmentId, nodeId],
    );
  }

  async recordPathDone(enrollmentId: string, status: 'completed' | 'exited', reason: string) {
    await this.ds.query(
      `UPDATE journey_enrollments SET status = $2, finish_reason = $3, finished_at = now(), current_node_id = NULL
        WHERE id = $1 AND status = 'active'`,
      [enrollmentId, status, reason],
    );
  }

  async recordClosed(enrollmentId: string) {
    await this.ds.query(
      `UPDATE journey_enrollments SET closed_at = COALESCE(closed_at, now()),
              status = CASE WHEN status = 'active' THEN 'completed' ELSE status END,
              finished_at = COALESCE(finished_at, now()), current_node_id = NULL
        WHERE id = $1`,
      [enrollmentId],
    );
  }

  // ------------------------------------------------------------------------------------------------ stats

  nodeStats(journeyId: string, versionId: string | null) {
    return this.ds.query(
      `WITH entered AS (
         SELECT s.node_id, count(*)::int AS entered, count(DISTINCT s.enrollment_id) FILTER (WHERE e.converted_at IS NOT NULL)::int AS converted
           FROM journey_steps s JOIN journey_enrollments e ON e.id = s.enrollment_id
          WHERE s.journey_id = $1 AND ($2::uuid IS NULL OR s.version_id = $2)
          GROUP BY s.node_id),
       waiting AS (
         SELECT current_node_id AS node_id, count(*)::int AS waiting FROM journey_enrollments
          WHERE journey_id = $1 AND status = 'active' AND current_node_id IS NOT NULL
            AND ($2::uuid IS NULL OR version_id = $2)
          GROUP BY current_node_id)
       SELECT COALESCE(en.node_id, w.node_id) AS "nodeId", COALESCE(en.entered, 0) AS entered,
              COALESCE(w.waiting, 0) AS waiting, COALESCE(en.converted, 0) AS converted
         FROM entered en FULL JOIN waiting w ON w.node_id = en.node_id`,
      [journeyId, versionId],
    ) as Promise<{ nodeId: string; entered: number; waiting: number; converted: number }[]>;
  }

  async totals(journeyId: string, versionId: string | null) {
    const [row] = await this.ds.query(
      `SELECT count(*)::int AS enrolled, count(*) FILTER (WHERE status = 'active')::int AS inside,
              count(*) FILTER (WHERE converted_at IS NOT NULL)::int AS converted,
              count(*) FILTER (WHERE arm = 'treatment')::int AS "treatmentTrials",
              count(*) FILTER (WHERE arm = 'treatment' AND converted_at IS NOT NULL)::int AS "treatmentConverted",
              count(*) FILTER (WHERE arm = 'control')::int AS "controlTrials",
              count(*) FILTER (WHERE arm = 'control' AND converted_at IS NOT NULL)::int AS "controlConverted"
         FROM journey_enrollments WHERE journey_id = $1 AND ($2::uuid IS NULL OR version_id = $2)`,
      [journeyId, versionId],
    );
    return row as {
      enrolled: number;
      inside: number;
      converted: number;
      treatmentTrials: number;
      treatmentConverted: number;
      controlTrials: number;
      controlConverted: number;
    };
  }

  actionCounts(journeyId: string, versionId: string | null) {
    return this.ds.query(
      `SELECT node_id AS "nodeId", status, count(*)::int AS n FROM journey_actions
        WHERE journey_id = $1 AND ($2::uuid IS NULL OR version_id = $2) GROUP BY node_id, status`,
      [journeyId, versionId],
    ) as Promise<{ nodeId: string; status: string; n: number }[]>;
  }
}
