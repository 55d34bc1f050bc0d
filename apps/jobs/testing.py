from apps.tenancy.testing import TenantWorld

from .models import Job, JobStatus


def isolation_fixtures(world: TenantWorld) -> None:
    """Rows of this app's tenant models for the route-isolation probe."""
    with world.context():
        Job.objects.create(kind="probe", task_name="none", status=JobStatus.SUCCEEDED)
