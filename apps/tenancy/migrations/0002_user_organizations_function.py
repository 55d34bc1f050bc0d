from django.db import migrations

# The one cross-tenant read the app needs: which organisations a user belongs to (to choose
# one at sign-in). SECURITY DEFINER runs it as the owner, which must be superuser or BYPASSRLS;
# it returns only the named user's memberships. EXECUTE is granted to the runtime role by the
# post-migrate security sync.
FUNCTION = """
CREATE OR REPLACE FUNCTION breakeven_user_organizations(p_user_id bigint)
RETURNS TABLE (organization_id bigint, name text, role text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    SELECT m.organization_id, o.name::text, m.role::text
    FROM tenancy_membership m
    JOIN tenancy_organization o ON o.id = m.organization_id
    WHERE m.user_id = p_user_id
    ORDER BY o.name, o.id
$$;
REVOKE ALL ON FUNCTION breakeven_user_organizations(bigint) FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [
        migrations.RunSQL(
            FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS breakeven_user_organizations(bigint);"
        )
    ]
