from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import user_organizations


def tenancy(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)

    def choices() -> list:
        if user is None or not user.is_authenticated:
            return []
        return user_organizations(user_id=user.id)

    return {
        "current_membership": membership,
        "current_organization": getattr(request, "organization", None),
        "is_org_admin": bool(membership and membership.is_admin),
        # Evaluated only by templates that show the switcher.
        "organization_choices": SimpleLazyObject(choices),
    }
