from django.core.management.base import BaseCommand

from apps.demo.services import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create (or find) the demo MSP with an admin and a salesperson login."

    def handle(self, *args, **options) -> None:
        logins = demo_seed()
        self.stdout.write(
            f"Demo organisation: {logins.organization.name}\n"
            f"  admin:       {logins.admin.email} / {DEMO_PASSWORD}\n"
            f"  salesperson: {logins.salesperson.email} / {DEMO_PASSWORD}"
        )
