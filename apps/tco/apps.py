from django.apps import AppConfig


class TcoConfig(AppConfig):
    name = "apps.tco"
    label = "tco"

    def ready(self) -> None:
        from apps.jobs.signals import job_finished

        from . import services

        job_finished.connect(services.on_job_finished, dispatch_uid="tco-job-finished")
