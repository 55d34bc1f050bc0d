from django.db import migrations

# The beat sweeper must find stale queued jobs in every tenant. This function returns tenant
# ids only; the sweeper then opens each tenant's context to read and re-enqueue its jobs.
FUNCTION = """
CREATE OR REPLACE FUNCTION breakeven_tenants_with_queued_jobs()
RETURNS TABLE (organization_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    SELECT DISTINCT j.organization_id FROM jobs_job j WHERE j.status = 'queued'
$$;
REVOKE ALL ON FUNCTION breakeven_tenants_with_queued_jobs() FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [
        migrations.RunSQL(
            FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS breakeven_tenants_with_queued_jobs();"
        )
    ]
