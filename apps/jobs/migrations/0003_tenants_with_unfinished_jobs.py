from django.db import migrations

# The sweeper also looks at `running` jobs (a worker and its message may both be lost), so the
# function now returns tenants with any unfinished job. Tenant ids only, as before.
FUNCTION = """
CREATE OR REPLACE FUNCTION breakeven_tenants_with_queued_jobs()
RETURNS TABLE (organization_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    SELECT DISTINCT j.organization_id FROM jobs_job j WHERE j.status IN ('queued', 'running')
$$;
REVOKE ALL ON FUNCTION breakeven_tenants_with_queued_jobs() FROM PUBLIC;
"""

PREVIOUS = """
CREATE OR REPLACE FUNCTION breakeven_tenants_with_queued_jobs()
RETURNS TABLE (organization_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    SELECT DISTINCT j.organization_id FROM jobs_job j WHERE j.status = 'queued'
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_tenants_with_queued_jobs_function")]

    operations = [migrations.RunSQL(FUNCTION, reverse_sql=PREVIOUS)]
