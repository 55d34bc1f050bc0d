from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    label = "proposals"

    def ready(self) -> None:
        from celery.signals import worker_init, worker_process_init

        from . import worker

        worker_init.connect(worker.on_worker_init, dispatch_uid="proposals-harfbuzz-check")
        worker_process_init.connect(
            worker.on_worker_process_init, dispatch_uid="proposals-preload-weasyprint"
        )
