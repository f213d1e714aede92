import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Events1764100000000 implements MigrationInterface {
  name = 'Events1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE segment_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        write_key_hash text NOT NULL UNIQUE,
        write_key_hint text NOT NULL,
        webhook_secret_enc text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX segment_sources_workspace_idx ON segment_sources (workspace_id)`);

    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        group_id text,
        domain text,
        name text,
        traits jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX accounts_group_key ON accounts (workspace_id, group_id) WHERE group_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX accounts_domain_key ON accounts (workspace_id, domain) WHERE domain IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE profiles (
        id uuid PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        account_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        email text,
        traits jsonb NOT NULL DEFAULT '{}',
        consent text NOT NULL DEFAULT 'unknown' CHECK (consent IN ('unknown', 'granted', 'denied')),
        merged_into uuid REFERENCES profiles(id) ON DELETE SET NULL,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX profiles_workspace_seen_idx ON profiles (workspace_id, last_seen_at DESC) WHERE merged_into IS NULL`,
    );
    await q.query(`CREATE INDEX profiles_account_idx ON profiles (account_id) WHERE account_id IS NOT NULL`);

    // One row per known identifier; merging profiles only repoints these (and the events).
    await q.query(`
      CREATE TABLE identities (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('user_id', 'anonymous_id', 'email', 'hubspot', 'salesforce')),
        value text NOT NULL,
        profile_id uuid NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, kind, value)
      )`);
    await q.query(`CREATE INDEX identities_profile_idx ON identities (profile_id)`);

    await q.query(`
      CREATE TABLE profile_merges (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        from_profile_id uuid NOT NULL,
        into_profile_id uuid NOT NULL,
        reason text NOT NULL,
        merged_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX profile_merges_workspace_idx ON profile_merges (workspace_id, merged_at DESC)`,
    );

    // Dedup ledger: a messageId is accepted once per workspace; rows are kept 30 days (Segment keeps 7+).
    await q.query(`
      CREATE TABLE event_message_ids (
        workspace_id uuid NOT NULL,
        message_id text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, message_id)
      )`);
    // BRIN: rows arrive in received order, so a tiny range index serves the purge and costs inserts nothing.
    await q.query(
      `CREATE INDEX event_message_ids_received_idx ON event_message_ids USING brin (received_at)`,
    );

    // Partitioned by month of the event's time; monthly partitions are created on demand by the writer.
    await q.query(`
      CREATE TABLE events (
        workspace_id uuid NOT NULL,
        message_id text NOT NULL,
        source_id uuid,
        profile_id uuid NOT NULL,
        type text NOT NULL,
        event text,
        canonical_event text,
        category text,
        intent text,
        user_id text,
        anonymous_id text,
        url text,
        "timestamp" timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}',
        context jsonb NOT NULL DEFAULT '{}'
      ) PARTITION BY RANGE ("timestamp")`);
    await q.query(`CREATE INDEX events_profile_time_idx ON events (workspace_id, profile_id, "timestamp")`);
    await q.query(`CREATE INDEX events_workspace_time_idx ON events (workspace_id, "timestamp")`);

    await q.query(`
      CREATE TABLE event_rejections (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        source_id uuid,
        received_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        payload text
      )`);
    await q.query(
      `CREATE INDEX event_rejections_workspace_idx ON event_rejections (workspace_id, received_at DESC)`,
    );

    await q.query(`
      CREATE TABLE taxonomy_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        position int NOT NULL,
        match_kind text NOT NULL CHECK (match_kind IN ('event', 'url')),
        pattern text NOT NULL,
        canonical_event text NOT NULL,
        category text NOT NULL,
        intent text NOT NULL CHECK (intent IN ('educational', 'evaluation', 'purchase', 'support')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX taxonomy_rules_workspace_idx ON taxonomy_rules (workspace_id, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'taxonomy_rules',
      'event_rejections',
      'events',
      'event_message_ids',
      'profile_merges',
      'identities',
      'profiles',
      'accounts',
      'segment_sources',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
