from django.dispatch import Signal

# Sent inside the new tenant's context right after an organisation is created, so other apps
# can give it their defaults (pricing tiers, assumption set, branding) without tenancy
# importing them. Arguments: organization, created_by.
organization_created = Signal()
