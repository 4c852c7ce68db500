/**
 * Indexed lookups for FerretDB on the embedded PostgreSQL.
 *
 * FerretDB 1.24 turns every equality filter into `WHERE _jsonb->$1 @> $2`, the field name a bind
 * parameter of a cached prepared statement. Two things keep PostgreSQL from using an index for
 * it: the generic plan of a cached statement cannot match `_jsonb->$1` to an index expression,
 * and the btree indexes FerretDB creates on `(_jsonb->'field')` serve `=`, not `@>`. Measured on
 * 100,000 members: 141 ms of sequential scan to find one member by `_id`.
 *
 * So the cluster plans every execution with its parameters (`plan_cache_mode`, set by
 * startPostgres), and an event trigger gives each btree index FerretDB creates a GIN twin on the
 * same expressions (`jsonb_path_ops`, which serves `@>`); the same function adds the twins of
 * indexes that existed before. FerretDB keeps its own index catalogue and never sees the twins;
 * dropping a collection drops them with its table. With a real MongoDB (MONGODB_URI) none of
 * this applies.
 */
export const LOOKUP_SETTINGS = ['-c plan_cache_mode=force_custom_plan'];

export const LOOKUP_SQL = String.raw`
CREATE OR REPLACE FUNCTION sip_gin_twins(target oid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
  field text;
  made integer := 0;
BEGIN
  FOR r IN
    SELECT n.nspname AS schema_name, c.relname AS table_name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    WHERE am.amname = 'btree'
      AND (target IS NULL OR i.indexrelid = target)
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND c.relname NOT LIKE '\_ferretdb\_%'
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = '_jsonb')
  LOOP
    FOR field IN SELECT m[1] FROM regexp_matches(r.def, '\(_jsonb -> ''((?:[^'']|'''')+)''::text\)', 'g') AS m LOOP
      EXECUTE format(
        'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops)',
        left(r.table_name, 40) || '_' || left(md5(field), 10) || '_gin',
        r.schema_name, r.table_name, replace(field, '''''', '''')
      );
      made := made + 1;
    END LOOP;
  END LOOP;
  RETURN made;
END
$fn$;

CREATE OR REPLACE FUNCTION sip_gin_twins_on_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    PERFORM sip_gin_twins(c.objid);
  END LOOP;
END
$fn$;

DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'sip_gin_twins') THEN
    CREATE EVENT TRIGGER sip_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION sip_gin_twins_on_ddl();
  END IF;
END
$do$;

SELECT sip_gin_twins();
`;
