from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "apps.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .db import sync_database_security_on_migrate

        # After every `migrate`, (re)apply grants, RLS policies and same-tenant foreign keys to
        # every tenant table, so a new model is covered without anyone remembering to.
        post_migrate.connect(sync_database_security_on_migrate, dispatch_uid="tenancy-security")
