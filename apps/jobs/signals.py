from django.dispatch import Signal

# Sent, inside the job's tenant context and transaction, when a job reaches `succeeded` or
# `failed` by any path (the task's body, a failure after retries, or too many deliveries), so the
# app that owns the work can mirror the status on its own rows. Arguments: job_id, kind, status,
# error.
job_finished = Signal()
