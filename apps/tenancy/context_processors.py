from django.http import HttpRequest


def tenancy(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    return {
        "current_membership": membership,
        "current_organization": getattr(request, "organization", None),
        "is_org_admin": bool(membership and membership.is_admin),
    }
