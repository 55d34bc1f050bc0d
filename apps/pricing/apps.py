from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "apps.pricing"
    label = "pricing"

    def ready(self) -> None:
        from apps.tenancy.signals import organization_created

        from .services import on_organization_created

        # A new organisation starts with the Essentials / Standard / Premium tiers and the
        # default assumption set of TCO_MODEL.md.
        organization_created.connect(on_organization_created, dispatch_uid="pricing-defaults")
